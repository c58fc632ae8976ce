"""A rubric that cannot be graded as written stops `assign` and `release` before they write
anything, with one line naming the rubric file and the test; `assign --validate` lists every problem."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from coursekit.cli import main
from coursekit.course.gradable import UngradableRubric, assignment_problems, require_gradable
from coursekit.course.validate import validate

ROOT = Path(__file__).resolve().parents[2]
COURSEKIT = Path(sys.executable).with_name("coursekit")
# A known mistake that is no mistake at all: every test passes it, so its hint can never be shown.
HARMLESS = '\n[[tests.add.mistakes]]\nhint = "add forgets a number"\ncode = """\nclass Value(Value):\n    pass\n"""\n'
MISSED = ("autograder/ch1/rubric.toml: [tests.add] mistake {number} (add forgets a number) passes every case")


@pytest.fixture
def course(tmp_path, monkeypatch):
    """A copy of the course (solutions and autograder; exercises are what assign writes), as the current folder."""
    for folder in ("solutions", "autograder"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def add_harmless_mistake(course):
    rubric = course / "autograder" / "ch1" / "rubric.toml"
    text = rubric.read_text()
    rubric.write_text(text.replace("\n[tests.mul]", HARMLESS + "\n[tests.mul]", 1))
    number = text.split("[tests.mul]")[0].count("[[tests.add.mistakes]]") + 1
    return MISSED.format(number=number)


def test_the_course_rubrics_have_no_problem():
    for folder in sorted((ROOT / "autograder").iterdir()):
        assert assignment_problems(folder, ROOT / "solutions") == [], folder.name


def test_assign_refuses_a_mistake_the_test_does_not_catch_and_writes_nothing(course):
    missed = add_harmless_mistake(course)
    done = subprocess.run([COURSEKIT, "assign"], cwd=course, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == f"Error: {missed}\n"
    assert not (course / "exercises").exists()


def test_a_wrong_reference_is_found_by_grading_the_solutions(course):
    softplus = course / "autograder" / "ch2" / "softplus.py"
    softplus.write_text(softplus.read_text().replace("(1 + v.exp()).log()", "(2 + v.exp()).log()"))
    problems = assignment_problems(course / "autograder" / "ch2", course / "solutions")
    assert len(problems) == 1 and problems[0].startswith(
        "autograder/ch2/rubric.toml: [tests.softplus] the solutions fail it, so the reference or the solution is wrong (")
    with pytest.raises(UngradableRubric, match=r"^autograder/ch2/rubric\.toml: \[tests\.softplus\]"):
        require_gradable(course / "autograder", course / "solutions")


def test_release_refuses_before_building_anything(course):
    (course / "exercises").mkdir()
    missed = add_harmless_mistake(course)
    result = CliRunner().invoke(main, ["release", "--out", "dist"])
    assert result.exit_code == 2 and result.stderr == f"Error: {missed}\n"
    assert not (course / "dist").exists()


def test_validate_lists_the_mistake_and_fails(course):
    shutil.copytree(ROOT / "exercises", course / "exercises")
    missed = add_harmless_mistake(course)
    done = subprocess.run([COURSEKIT, "assign", "--validate", "--no-notebooks", "--assignment", "ch1"], cwd=course,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    verdicts = validate(course / "solutions", course / "exercises", notebooks=False, assignment="ch1")
    assert [verdict.got for verdict in verdicts if not verdict.ok] == [missed]
