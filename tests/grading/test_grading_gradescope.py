"""A dry run of Gradescope's layout for every shape of upload: each one yields a valid results.json,
graded, or scored 0 with a message that tells the student what to upload."""

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from grading_helpers import EXERCISE, REPO, SOLUTION, solution_with

from coursekit.grading import grade
from coursekit.grading.gradescope import RUBRIC_BROKEN, run_autograder
from coursekit.grading.report import format_report

RUN_AUTOGRADER = REPO / "coursekit" / "course" / "gradescope" / "run_autograder"
FIXED = "Submit value.py from your course folder, on its own or in a zip."


@pytest.fixture
def autograder(tmp_path, tiny_tests):
    """An empty /autograder stand-in: the hidden tests in source/autograder, an empty submission/."""
    root = tmp_path / "autograder"
    shutil.copytree(tiny_tests, root / "source" / "autograder")
    (root / "submission").mkdir()
    return root


def results_of(root):
    results = json.loads((root / "results" / "results.json").read_text())
    assert set(results) >= {"score", "execution_time", "output", "tests"}
    assert isinstance(results["score"], float) and isinstance(results["execution_time"], float)
    for test in results["tests"]:
        assert set(test) == {"name", "score", "max_score", "status", "output", "visibility"}
        assert test["status"] in ("passed", "failed") and test["visibility"] == "visible"
    assert len(results["tests"]) == 10 and sum(test["max_score"] for test in results["tests"]) == 100
    assert "--seed" not in json.dumps(results)  # students cannot re-run with a seed
    return results


def chapter_notebook_defining_value():
    notebook = nbformat.read(REPO / "solutions" / "ch2-more-operations.ipynb", as_version=4)
    setup = next(i for i, cell in enumerate(notebook.cells) if "from value import Value" in cell.source)
    notebook.cells.insert(setup + 1, nbformat.v4.new_code_cell(SOLUTION))
    return nbformat.writes(notebook)


def zipped(files):
    def write(path):
        with zipfile.ZipFile(path, "w") as archive:
            for name, content in files.items():
                archive.writestr(name, content)
    return write


def course_folder(path):
    shutil.copytree(EXERCISE, path / "course")
    (path / "course" / "value.py").write_text(SOLUTION)


GRADED_UPLOADS = {
    "the file": {"value.py": SOLUTION},
    "the file in its folder": course_folder,
    "a zip of the folder": {"course.zip": zipped({"course/value.py": SOLUTION, "course/README.md": "notes"})},
    "a misnamed file": {"value (1).py": SOLUTION},
    "extra files": {"value.py": SOLUTION, "scratch.py": "print('hi')\n", "notes.pdf": b"%PDF-1.4\x00\xff"},
    "a chapter notebook": {"ch2-more-operations.ipynb": chapter_notebook_defining_value()},
}
UNGRADABLE_UPLOADS = {
    "nothing": ({}, "it had: nothing"),
    "a binary": ({"photo.png": bytes(range(256)) * 4}, "it had: photo.png"),
    "a broken zip": ({"course.zip": b"PK\x03\x04 not really"}, "course.zip is not a zip file we can open"),
    "two candidates": ({"mine.py": SOLUTION, "theirs.py": SOLUTION}, "several files define class Value (mine.py, theirs.py), so there is no telling which to grade"),
    "an empty notebook": ({"ch1.ipynb": "{broken"}, "ch1.ipynb: not a readable notebook ("),
}


def upload(root, files):
    submission = root / "submission"
    if callable(files):
        files(submission)
        return
    for name, content in files.items():
        if callable(content):
            content(submission / name)
        elif isinstance(content, bytes):
            (submission / name).write_bytes(content)
        else:
            (submission / name).write_text(content)


@pytest.mark.parametrize("shape", GRADED_UPLOADS)
def test_every_readable_upload_is_graded(autograder, shape):
    upload(autograder, GRADED_UPLOADS[shape])
    results = results_of(run_autograder(autograder).parents[1])
    assert results["score"] == 100, results["output"]


def test_a_misnamed_or_extra_file_is_named_in_the_output(autograder):
    upload(autograder, GRADED_UPLOADS["a misnamed file"])
    assert results_of(run_autograder(autograder).parents[1])["output"] == "Total: 100 / 100\ngraded value (1).py as value.py"


def test_the_output_names_each_uploaded_file_that_was_not_graded_and_why(autograder):
    upload(autograder, {"value.py": SOLUTION, "value (1).py": "an older copy that does not even parse(",
                        "ch3-the-nudge-test.ipynb": (EXERCISE / "ch3-the-nudge-test.ipynb").read_text()})
    results = results_of(run_autograder(autograder).parents[1])
    assert results["score"] == 100 and results["output"] == (
        "Total: 100 / 100\nFiles not graded:\n  ch3-the-nudge-test.ipynb: not a file this assignment grades\n"
        "  value (1).py: another copy of value.py (value.py was graded)")


@pytest.mark.parametrize("shape", UNGRADABLE_UPLOADS)
def test_an_upload_that_cannot_be_graded_scores_0_and_says_what_to_upload(autograder, shape):
    files, reason = UNGRADABLE_UPLOADS[shape]
    upload(autograder, files)
    results = results_of(run_autograder(autograder).parents[1])
    assert results["score"] == 0
    assert reason in results["output"] and FIXED in results["output"]
    assert all(FIXED in test["output"] and test["score"] == 0 for test in results["tests"])


def test_a_wrong_solution_is_graded_with_the_same_text_as_grade_and_check(autograder, tiny_tests):
    upload(autograder, {"value.py": solution_with(__pow__="return Value(self.data ** n, (self,), (self.data ** (n - 1),))")})
    results = results_of(run_autograder(autograder).parents[1])
    pow_test = next(test for test in results["tests"] if test["name"] == "pow")
    assert results["score"] == 80 and pow_test["status"] == "failed"  # div is built on pow
    lines = pow_test["output"].splitlines()[1:]
    assert lines == ["Value(3.0) ** 2: local gradients: expected (6), got (3)",
                     "  hint: pow is missing the factor n: d(a**n)/da = n * a**(n-1)"]
    text = format_report(grade(autograder / "submission", tiny_tests), "text")
    assert all(line in text for line in lines)


def test_a_zip_cannot_write_outside_its_folder_or_link_to_the_grader(autograder, tmp_path):
    archive = autograder / "submission" / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zipped_file:
        zipped_file.writestr("../../escaped.py", "x = 1\n")
        zipped_file.writestr("/abs.py", "x = 1\n")
        link = zipfile.ZipInfo("course/value.py")
        link.external_attr = 0o120777 << 16
        zipped_file.writestr(link, "/etc/passwd")
    results = results_of(run_autograder(autograder).parents[1])
    assert results["score"] == 0 and FIXED in results["output"]
    assert not list(tmp_path.rglob("escaped.py")) and not list(tmp_path.rglob("abs.py"))


def test_the_submitter_id_is_read_from_gradescope_metadata(autograder):
    from coursekit.grading.gradescope import submitter_id

    assert submitter_id(autograder) is None
    (autograder / "submission_metadata.json").write_text(json.dumps({"users": [{"id": 4242, "email": "a@b.c"}]}))
    assert submitter_id(autograder) == "4242"


def test_a_missing_rubric_still_writes_results(autograder):
    shutil.rmtree(autograder / "source" / "autograder")
    upload(autograder, {"value.py": SOLUTION})
    results = json.loads(run_autograder(autograder).read_text())
    assert results["score"] == 0 and results["output"] == RUBRIC_BROKEN


# -- the script Gradescope runs ---------------------------------------------------------------------


def run_script(root, venv=sys.prefix):
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "COURSEKIT_VENV": str(venv)}
    done = subprocess.run(["bash", str(RUN_AUTOGRADER)], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads((root / "results" / "results.json").read_text())


@pytest.mark.parametrize("shape", ["a zip of the folder", "nothing"])
def test_run_autograder_script_always_writes_results(autograder, shape):
    files = {**GRADED_UPLOADS, **{name: files for name, (files, _) in UNGRADABLE_UPLOADS.items()}}[shape]
    upload(autograder, files)
    results = run_script(autograder)
    assert results["score"] == (100 if shape in GRADED_UPLOADS else 0)


def test_run_autograder_script_writes_results_even_without_python(autograder, tmp_path):
    upload(autograder, {"value.py": SOLUTION})
    results = run_script(autograder, venv=tmp_path / "no-venv")
    assert results["score"] == 0 and "could not start" in results["output"]


def test_the_script_stays_a_few_lines():
    code = [line for line in Path(RUN_AUTOGRADER).read_text().splitlines() if line.strip() and not line.startswith("#")]
    assert len(code) <= 8


@pytest.mark.parametrize("upload", ["files", "zip"])
def test_a_chapter_graded_from_its_notebook_takes_value_py_and_the_notebook(tmp_path, upload):
    root = tmp_path / "autograder"
    shutil.copytree(REPO / "autograder" / "ch5", root / "source" / "autograder" / "ch5")
    (root / "submission").mkdir()
    files = {"value.py": (REPO / "solutions" / "value.py").read_bytes(),
             "ch5-a-tiny-network.ipynb": (REPO / "solutions" / "ch5-a-tiny-network.ipynb").read_bytes()}
    if upload == "zip":
        zipped({f"my-course/{name}": data for name, data in files.items()})(root / "submission" / "course.zip")
    else:
        for name, data in files.items():
            (root / "submission" / name).write_bytes(data)
    results = json.loads(run_autograder(root).read_text())
    assert results["score"] == sum(test["max_score"] for test in results["tests"]) > 0, results["output"]
    assert {test["name"] for test in results["tests"]} >= {"neuron", "mlp", "loss"}
