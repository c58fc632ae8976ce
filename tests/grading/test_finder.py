"""One finder for every way a submission is graded: the files the rubric declares are found in
nested folders, zips, renamed copies and another case, the same in `grade`, `grade --class`,
Gradescope and `check`; what was graded as what, and what was left out, is said."""

import csv
import json
import shutil
import zipfile

import pytest
from grading_helpers import HIDDEN_TESTS, REPO, SOLUTION

from coursekit.grading import grade
from coursekit.grading.finder import find_submission, likeness, what_to_submit
from coursekit.grading.gradescope import run_autograder
from coursekit.grading.load import SubmissionError

CH2 = HIDDEN_TESTS / "ch2"
NOTEBOOK = (REPO / "solutions" / "ch2-more-operations.ipynb").read_bytes()
SUBMIT = ("value.py", "ch2-more-operations.ipynb")


def write(folder, files):
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return folder


def zipped(path, files):
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return path


@pytest.mark.parametrize("name, declared, expected", [
    ("value.py", "value.py", 0), ("Value.py", "value.py", 1), ("VALUE.PY", "value.py", 1),
    ("Value (1).py", "value.py", 2), ("value(2).py", "value.py", 2), ("value-2.py", "value.py", 2),
    ("value_1.py", "value.py", 2), ("value copy.py", "value.py", 2), ("value.ipynb", "value.py", None),
    ("values.py", "value.py", None), ("ch2-more-operations (1).ipynb", "ch2-more-operations.ipynb", 2),
    ("my_value.py", "value.py", None),
])
def test_what_stands_for_a_declared_file(name, declared, expected):
    assert likeness(name, declared) == expected


def test_the_sentence_that_says_what_to_submit_comes_from_the_rubric():
    assert what_to_submit(("value.py",)) == "Submit value.py from your course folder, on its own or in a zip."
    assert what_to_submit(SUBMIT) == ("Submit value.py and ch2-more-operations.ipynb (saved) from your course folder, "
                                      "on their own or in a zip.")


def test_renamed_copies_in_nested_folders_are_found_and_said(tmp_path):
    upload = write(tmp_path / "alice", {"Downloads/course/Value (1).py": SOLUTION, "Downloads/course/helper.py": "X = 1\n",
                                        "Downloads/ch2-more-operations (2).ipynb": NOTEBOOK, "notes.txt": "hi",
                                        "old/value.py": "broken("})
    submission = find_submission(upload, SUBMIT, "ch2-more-operations.ipynb")
    assert submission.name == "alice" and submission.path == upload
    assert submission.graded == (("value.py", "old/value.py"), ("ch2-more-operations.ipynb",
                                                                "Downloads/ch2-more-operations (2).ipynb"))
    assert sorted(submission.files) == ["_notebook.py", "value.py"]  # old/value.py bears the name: it wins


def test_the_shallowest_copy_wins_and_the_others_are_named(tmp_path):
    upload = write(tmp_path / "bob", {"course/value.py": SOLUTION, "course/sub/value.py": "broken(",
                                      "Value (1).py": "also broken(", "course/ch2-more-operations.ipynb": NOTEBOOK})
    submission = find_submission(upload, SUBMIT, "ch2-more-operations.ipynb")
    assert dict(submission.graded)["value.py"] == "course/value.py"
    copy = "another copy of value.py (course/value.py was graded)"
    assert submission.ignored == (("Value (1).py", copy), ("course/sub/value.py", copy)) and submission.notes == ()
    report = grade(upload, CH2)
    assert report.passed and report.ignored == submission.ignored


def test_nothing_usable_says_what_the_submission_had(tmp_path):
    upload = write(tmp_path / "carol", {"essay.pdf": b"%PDF", "photo.png": b"\x89PNG"})
    with pytest.raises(SubmissionError) as error:
        find_submission(upload, SUBMIT, "ch2-more-operations.ipynb")
    assert str(error.value) == ("the submission has none of the files to submit (value.py, ch2-more-operations.ipynb); "
                                "it had: essay.pdf, photo.png")


def test_a_class_of_zips_and_renamed_files_is_graded_the_same_everywhere(tmp_path, run_coursekit):
    """grade --class (as a user runs it), grade and Gradescope give one score to one upload."""
    shutil.copytree(CH2, tmp_path / "tests")
    files = {"my course/Value (1).py": SOLUTION, "my course/ch2-more-operations.ipynb": NOTEBOOK}
    zipped(tmp_path / "class" / "alice.zip", files)
    write(tmp_path / "class" / "bob", {"VALUE.py": SOLUTION})  # no notebook: softplus is lost, the rest graded
    (tmp_path / "class" / "dan.zip").write_bytes(b"PK\x03\x04 not a zip")
    done = run_coursekit("grade", "--class", "class", "--tests", "tests", "-o", "book.csv", "--no-similarity",
                         cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "graded 3, skipped 0 unchanged, 1 with errors" in done.stdout
    with open(tmp_path / "book.csv", newline="") as file:
        rows = {row["student"]: row for row in csv.DictReader(file)}
    assert rows["alice"]["graded_files"] == ("alice.zip/my course/Value (1).py as value.py; "
                                             "alice.zip/my course/ch2-more-operations.ipynb")
    assert rows["alice"]["total"] == rows["alice"]["max_total"] == "55" and rows["alice"]["ignored_files"] == ""
    assert rows["bob"]["graded_files"] == "VALUE.py as value.py" and rows["bob"]["softplus"] == "0"
    assert rows["dan"]["error"] == "dan.zip is not a zip file we can open" and rows["dan"]["total"] == "0"
    assert grade(tmp_path / "class" / "alice.zip", tmp_path / "tests").score == 55
    root = tmp_path / "gradescope"
    shutil.copytree(CH2, root / "source" / "autograder" / "ch2")
    zipped(root / "submission" / "upload.zip", files)
    results = json.loads(run_autograder(root).read_text())
    assert results["score"] == 55 and results["output"] == "Total: 55 / 55\ngraded upload.zip/my course/Value (1).py as value.py"


def test_gradescope_tells_a_wrong_upload_what_the_rubric_asks_for(tmp_path):
    root = tmp_path / "gradescope"
    shutil.copytree(CH2, root / "source" / "autograder" / "ch2")
    write(root / "submission", {"answers.docx": b"PK"})
    results = json.loads(run_autograder(root).read_text())
    assert results["output"] == ("the submission has none of the files to submit (value.py, ch2-more-operations.ipynb); "
                                 "it had: answers.docx. " + what_to_submit(SUBMIT))


def test_check_uses_the_finder(tmp_path, run_coursekit):
    shutil.copytree(REPO / "exercises" / "public-tests", tmp_path / "public-tests")
    write(tmp_path / "mine", {"value (3).py": SOLUTION})
    done = run_coursekit("check", "mine", "--assignment", "ch1", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "note: graded value (3).py as value.py" in done.stdout


def test_check_names_a_copy_left_out_of_a_course_folder_but_not_the_other_chapters(tmp_path, run_coursekit):
    shutil.copytree(REPO / "exercises", tmp_path / "course")
    write(tmp_path / "course", {"value.py": SOLUTION, "value (1).py": "an older copy("})
    done = run_coursekit("check", "course", "--assignment", "ch1", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Files not graded:\n  value (1).py: another copy of value.py (value.py was graded)\nTotal: 20 / 20\n" in done.stdout
    assert ".ipynb" not in done.stdout  # every chapter's notebook is in the course folder, as it should be


def test_the_student_readme_and_the_docs_list_what_to_submit_from_the_rubrics():
    import importlib.util

    from coursekit.course import assign

    table = assign.what_to_submit(REPO / "solutions")
    assert "| ch2 | `value.py`, `ch2-more-operations.ipynb` |" in table.splitlines()
    assert table in (REPO / "exercises" / "README.md").read_text()
    spec = importlib.util.spec_from_file_location("what_to_submit", REPO / "docs" / "hooks" / "what_to_submit.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    for page in ("instructor-guide.md", "student-guide.md"):
        markdown = (REPO / "docs" / page).read_text()
        assert assign.SUBMIT_MARKER in markdown and table in hook.on_page_markdown(markdown)


def test_a_file_graded_alone_is_the_submission_whatever_lies_beside_it(tmp_path):
    write(tmp_path, {"alice.py": SOLUTION, "value.py": "broken(", "ch2-more-operations.ipynb": NOTEBOOK})
    submission = find_submission(tmp_path / "alice.py", SUBMIT, "ch2-more-operations.ipynb")
    assert dict(submission.graded) == {"value.py": "alice.py", "ch2-more-operations.ipynb": "ch2-more-operations.ipynb"}
    assert submission.name == "alice" and submission.notes == ()
