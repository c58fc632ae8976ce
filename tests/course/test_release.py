"""`coursekit release` on the real course: what each zip holds, what it must never hold, and a
Gradescope dry run in a temporary tree laid out like /autograder/ (setup.sh installs the locked
wheelhouse in a fresh venv)."""

import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from coursekit.cli import main
from coursekit.course.assign import assign, course_files
from coursekit.course.layout import CourseLayout
from coursekit.course.markers import find_regions
from coursekit.course.release import ReleaseError, course_time, release
from coursekit.course.wheels import build_wheel
from coursekit.grading import find_assignments

ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS, EXERCISES, AUTOGRADER = ROOT / "solutions", ROOT / "exercises", ROOT / "autograder"
PUBLIC_TESTS = EXERCISES / "public-tests"
COURSEKIT = Path(sys.executable).with_name("coursekit")
# What grading must never pull into the Gradescope image.
ASSIGNMENTS = find_assignments(AUTOGRADER)
NOT_FOR_GRADING = {"ipython", "graphviz", "matplotlib", "numpy", "pillow", "nbformat", "jupyterlab", "ipykernel"}


@pytest.fixture(scope="session")
def wheel(tmp_path_factory):
    return build_wheel(tmp_path_factory.mktemp("wheel"))


@pytest.fixture(scope="module")
def released(wheel, tmp_path_factory):
    return release(ROOT, tmp_path_factory.mktemp("release") / "dist", wheel=wheel)


def zip_texts(path):
    """{member: text} with notebooks reduced to their cell sources (what a student would read)."""
    texts = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            text = archive.read(name).decode("utf-8", "replace")
            if name.endswith(".ipynb"):
                text += "\n" + "\n".join(cell.source for cell in nbformat.reads(text, as_version=4).cells)
            texts[name] = text
    return texts


def solution_only_lines():
    """Lines that the solutions hold only inside solution or hidden-test regions (found independently)."""
    inside, outside = set(), set()
    for path in SOLUTIONS.iterdir():
        sources = ([cell.source for cell in nbformat.read(path, as_version=4).cells] if path.suffix == ".ipynb"
                   else [path.read_text()])
        for source in sources:
            lines = source.splitlines()
            covered = {i for r in find_regions(source, path.name) for i in range(r.begin + 1, r.end)}
            for i, line in enumerate(lines):
                (inside if i in covered else outside).add(line.strip())
    return {line for line in inside - outside if len(line) >= 6}


def hidden_only_lines():
    """The hidden rubrics' case specs and code (`key = value` and code lines) that the public rubrics do not share."""
    public = {line.strip() for path in PUBLIC_TESTS.rglob("rubric.toml") for line in path.read_text().splitlines()}
    lines = (line.split("#")[0].strip() for path in AUTOGRADER.rglob("*.*") for line in path.read_text().splitlines())
    return {line for line in lines if (re.match(r"\w+\s*=", line) or line.startswith("return ")) and line not in public}


def test_the_wheel_holds_the_package_and_no_instructor_material(wheel):
    assert wheel.name.startswith("coursekit_autodiff-")
    names = zipfile.ZipFile(wheel).namelist()
    assert "coursekit/engine.py" in names and "coursekit/course/gradescope/run_autograder" in names
    assert not [name for name in names if name.split("/")[0] in ("autograder", "solutions", "exercises", "tests")]
    # The package implements the same engine and documents the rubric's keys, so single lines may
    # recur in it; a solution file or the hidden rubric, whole, must not.
    instructor_files = [path.read_text() for path in [*SOLUTIONS.iterdir(), *AUTOGRADER.rglob("*.*")]]
    for name in names:
        text = zipfile.ZipFile(wheel).read(name).decode("utf-8", "replace")
        assert not [source for source in instructor_files if source in text], name


def test_student_zip_holds_the_exercises_public_tests_readme_and_the_wheel(released, wheel):
    names = set(zipfile.ZipFile(released.student_zip).namelist())
    expected = {f"exercises/{p.relative_to(EXERCISES).as_posix()}" for p in EXERCISES.rglob("*") if p.is_file()}
    assert names == expected | {f"exercises/{wheel.name}", "exercises/requirements.txt"}
    assert {"exercises/README.md", "exercises/value.py", "exercises/ch1-a-value-that-remembers.ipynb",
            "exercises/public-tests/ch1/rubric.toml", "exercises/public-tests/ch6/rubric.toml"} <= names
    with zipfile.ZipFile(released.student_zip) as archive:
        assert archive.read(f"exercises/{wheel.name}") == wheel.read_bytes()  # the very wheel that was tested
        assert archive.read("exercises/requirements.txt").decode().splitlines()[-1] == f"./{wheel.name}[course]"


def test_student_zip_holds_no_solution_no_hidden_test_and_no_autograder_file(released):
    texts = zip_texts(released.student_zip)
    secrets = solution_only_lines() | hidden_only_lines()
    assert len(secrets) > 40  # the check below is only as good as this list is full
    for name, text in texts.items():
        if name.endswith(".whl"):
            continue  # the package: coursekit's own engine, tested above
        assert "autograder" not in Path(name).parts and "solutions" not in Path(name).parts
        assert "### BEGIN" not in text and "### END" not in text, name
        leaked = [line for line in secrets if line in text]
        assert not leaked, f"{name} leaks {leaked[:3]}"


def lock_pins(text):
    """{name: (version, sha256)} from requirements.lock."""
    pins = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            match = re.fullmatch(r"([a-z0-9-]+)==(\S+) --hash=sha256:([0-9a-f]{64})", line)
            assert match, line
            pins[match[1]] = (match[2], match[3])
    return pins


def test_one_gradescope_zip_per_assignment_with_its_locked_wheelhouse(released, wheel):
    assert [path.name for path in released.gradescope_zips] == [f"gradescope-{name}.zip" for name in ASSIGNMENTS]
    with zipfile.ZipFile(released.gradescope_zips[list(ASSIGNMENTS).index("ch6")]) as archive:
        names = archive.namelist()
        modes = {info.filename: stat.S_IMODE(info.external_attr >> 16) for info in archive.infolist()}
        assert archive.read("autograder/ch6/rubric.toml") == (AUTOGRADER / "ch6" / "rubric.toml").read_bytes()
        wheels = {name: archive.read(name) for name in names if name.startswith("wheels/")}
        pins = lock_pins(archive.read("requirements.lock").decode())
    assert sorted(names) == sorted(["autograder/ch6/rubric.toml", "autograder/ch6/gpt_pieces.py", "requirements.lock",
                                    "run_autograder", "setup.sh", *wheels])
    assert modes["setup.sh"] == modes["run_autograder"] == 0o755
    assert wheels[f"wheels/{wheel.name}"] == wheel.read_bytes()
    # every wheel pinned to its exact file, pure Python (any platform, any Python >= 3.10), and nothing else
    assert len(pins) == len(wheels)
    for name, data in wheels.items():
        assert name.endswith("-py3-none-any.whl"), name
        project, version = Path(name).name.split("-")[:2]
        assert pins[project.replace("_", "-").lower()] == (version, hashlib.sha256(data).hexdigest())
    assert {"coursekit-autodiff", "click", "rich", "tomli"} <= set(pins)  # tomli: for Python 3.10 images
    assert not set(pins) & NOT_FOR_GRADING
    # The reference code of an assignment is instructor material (it may repeat solution lines);
    # the solutions and exercises themselves are not in the bundle.
    assert not [name for name in names if name.split("/")[0] in ("solutions", "exercises")]


def test_release_is_deterministic(released, wheel, tmp_path):
    again = release(ROOT, tmp_path / "dist", wheel=wheel)
    assert again.student_zip.read_bytes() == released.student_zip.read_bytes()
    assert [path.read_bytes() for path in again.gradescope_zips] == [path.read_bytes() for path in released.gradescope_zips]


def test_zip_entries_are_dated_when_the_course_last_changed(released):
    newest = time.localtime(max((folder / path).stat().st_mtime for folder in (SOLUTIONS, EXERCISES, AUTOGRADER)
                                for path in course_files(folder)))
    assert newest.tm_year > 1980
    for bundle in (released.student_zip, *released.gradescope_zips):
        with zipfile.ZipFile(bundle) as archive:
            dates = {info.date_time for info in archive.infolist()}
        assert dates == {(*newest[:5], newest.tm_sec // 2 * 2)}, bundle.name  # a zip keeps even seconds


def test_source_date_epoch_dates_the_zips(monkeypatch, tmp_path):
    folder = tmp_path / "course"
    for name in ("solutions", "exercises", "autograder"):
        shutil.copytree(ROOT / name, folder / name)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(time.mktime((2026, 9, 1, 8, 30, 0, 0, 0, -1)))))
    assert course_time(CourseLayout(folder)) == (2026, 9, 1, 8, 30, 0)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    os.utime(folder / "autograder" / "ch1" / "rubric.toml", (0, time.mktime((2027, 1, 15, 9, 45, 12, 0, 0, -1))))
    assert course_time(CourseLayout(folder)) == (2027, 1, 15, 9, 45, 12)


@pytest.fixture(scope="module")
def autograder_tree(released, tmp_path_factory):
    """gradescope.zip unpacked like Gradescope does, and its setup.sh run for real (a fresh venv)."""
    root = tmp_path_factory.mktemp("gradescope") / "autograder"
    zipfile.ZipFile(released.gradescope_zips[0]).extractall(root / "source")  # chapter 1: value.py
    for script in ("setup.sh", "run_autograder"):  # zipfile drops permissions; Gradescope keeps them
        (root / "source" / script).chmod(0o755)
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "COURSEKIT_PYTHON": sys.executable}
    done = subprocess.run(["bash", "setup.sh"], cwd=root / "source", env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return root, env


def test_setup_installs_exactly_the_lock_and_grading_runs_on_core_dependencies(autograder_tree):
    root, env = autograder_tree
    python = root / "venv" / "bin" / "python"
    freeze = subprocess.run([python, "-m", "pip", "freeze", "--all", "--exclude", "pip"], capture_output=True, text=True,
                            timeout=120, env=env).stdout
    installed = {line.split("==")[0].lower().replace("_", "-"): line.split("==")[1] for line in freeze.split()}
    installed.pop("setuptools", None)  # the venv's own, on older Pythons
    pins = lock_pins((root / "source" / "requirements.lock").read_text())
    assert installed == {name: version for name, (version, _) in pins.items()}
    probe = ("import importlib.util, coursekit, coursekit.cli, coursekit.grading\n"
             f"print(sorted(m for m in {sorted(NOT_FOR_GRADING)!r} if importlib.util.find_spec(m.replace('ipython', 'IPython').replace('pillow', 'PIL'))))")
    done = subprocess.run([python, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "[]", done.stderr
    check = subprocess.run([root / "venv" / "bin" / "coursekit", "check", SOLUTIONS / "value.py"], capture_output=True,
                           text=True, timeout=120)
    assert check.returncode == 0 and "All 6 assignments" in check.stdout, check.stdout + check.stderr
    demo = subprocess.run([root / "venv" / "bin" / "coursekit", "demo", "--out", root / "demo"], capture_output=True,
                          text=True, timeout=120)
    assert demo.returncode == 2 and "pip install 'coursekit-autodiff[notebook]'" in demo.stderr, demo.stderr


@pytest.mark.parametrize(("submission", "solved"), [(SOLUTIONS, True), (EXERCISES, False)], ids=["reference", "untouched"])
def test_run_autograder_grades_a_submission(autograder_tree, submission, solved):
    root, env = autograder_tree
    shutil.rmtree(root / "submission", ignore_errors=True)
    (root / "submission").mkdir()
    shutil.copy(submission / "value.py", root / "submission" / "value.py")
    done = subprocess.run([str(root / "source" / "run_autograder")], cwd=root / "source", env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    results = json.loads((root / "results" / "results.json").read_text())
    assert {test["name"] for test in results["tests"]} == {"add", "mul"}
    if solved:
        assert results["score"] == sum(test["max_score"] for test in results["tests"]) > 0
    else:
        assert results["score"] == 0 and all(test["status"] == "failed" for test in results["tests"])


@pytest.fixture
def course_copy(tmp_path):
    for folder in ("solutions", "exercises", "autograder"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def test_release_refuses_stale_exercises(course_copy, wheel):
    (course_copy / "exercises" / "value.py").write_text("class Value:\n    pass\n")
    with pytest.raises(ReleaseError, match=r"exercises is out of date .*value\.py.*coursekit assign"):
        release(course_copy, course_copy / "dist", wheel=wheel)
    assert not (course_copy / "dist").exists()


def test_release_refuses_to_leak_a_region_in_a_copied_file(course_copy, wheel):
    notes = "Hints for chapter 3\n### BEGIN SOLUTION\nthe central nudge divides by two h\n### END SOLUTION\n"
    (course_copy / "solutions" / "notes.md").write_text(notes)
    (course_copy / "exercises" / "notes.md").write_text(notes)  # assign copies files it does not know
    with pytest.raises(ReleaseError, match=r"would leak: exercises/notes\.md, line 2"):
        release(course_copy, course_copy / "dist", wheel=wheel)


def test_release_refuses_an_answer_pasted_into_a_markdown_cell(course_copy, wheel):
    chapter = course_copy / "solutions" / "ch4-backward.ipynb"
    nb = nbformat.read(chapter, as_version=4)
    answer = next(line.strip() for line in (SOLUTIONS / "value.py").read_text().splitlines() if "topo, visited, stack =" in line)
    nb.cells.insert(2, nbformat.v4.new_markdown_cell(f"A reminder for the TAs:\n\n    {answer}"))
    nbformat.write(nb, chapter)
    assign(course_copy / "solutions", course_copy / "exercises")
    with pytest.raises(ReleaseError, match=rf"would leak: exercises/ch4-backward\.ipynb, cell 3, line 3: instructor-only text '{re.escape(answer)}'"):
        release(course_copy, course_copy / "dist", wheel=wheel)
    assert not (course_copy / "dist").exists()


def test_only_folders_with_a_rubric_are_assignments(course_copy, wheel):
    (course_copy / "autograder" / "shared-notes").mkdir()  # no rubric: not an assignment
    built = release(course_copy, course_copy / "dist", wheel=wheel)
    assert [path.name for path in built.gradescope_zips] == [f"gradescope-{name}.zip" for name in ASSIGNMENTS]
    for path in built.gradescope_zips:
        with zipfile.ZipFile(path) as archive:
            assignment = path.stem.removeprefix("gradescope-")
            assert archive.read(f"autograder/{assignment}/rubric.toml") == \
                (course_copy / "autograder" / assignment / "rubric.toml").read_bytes()
            assert "requirements.lock" in archive.namelist()
            assert not [name for name in archive.namelist() if "shared-notes" in name]
    shutil.rmtree(course_copy / "autograder")
    (course_copy / "autograder").mkdir()  # said first: the public tests and the README's table come from the rubrics
    with pytest.raises(ReleaseError, match=r"autograder: no rubric\.toml in it or in any folder of it"):
        release(course_copy, course_copy / "dist2", wheel=wheel)


def test_cli_release(course_copy, wheel, monkeypatch):
    monkeypatch.chdir(course_copy)
    result = CliRunner().invoke(main, ["release", "--wheel", str(wheel)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "dist/gradescope-ch6.zip: upload it as the Gradescope autograder"
    assert f"with {wheel.name}" in result.output and (course_copy / "dist" / "student.zip").is_file()
    shutil.rmtree(course_copy / "autograder")
    done = subprocess.run([COURSEKIT, "release", "--wheel", str(wheel), "--out", "dist2"], cwd=course_copy,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "autograder: no such folder" in done.stderr
    assert not (course_copy / "dist2").exists()
    assert "locked wheelhouse" in subprocess.run([COURSEKIT, "release", "--help"], capture_output=True, text=True,
                                                 timeout=120).stdout


def test_cli_release_lite_without_npm_says_how_to_get_it(course_copy, wheel, tmp_path):
    """The browser course takes Pyodide and Graphviz from the npm registry; without npm, one line
    says so, exit 2, and no half-built site is left."""
    no_npm = tmp_path / "bin"
    no_npm.mkdir()
    (no_npm / "python").symlink_to(sys.executable)
    done = subprocess.run([COURSEKIT, "release", "--lite", "--wheel", str(wheel)], cwd=course_copy,
                          capture_output=True, text=True, timeout=300, env={**os.environ, "PATH": str(no_npm)})
    assert done.returncode == 2
    assert done.stderr == ("Error: npm is missing: `make lite` installs Node.js and npm with apt-get when run as root; "
                           "otherwise install them (sudo apt-get install -y nodejs npm)\n")
    assert sorted(path.name for path in (course_copy / "dist").iterdir()) == [
        *(f"gradescope-ch{n}.zip" for n in range(1, 7)), "student.zip"]
