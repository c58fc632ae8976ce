"""A chapter added by data (a folder in autograder/, nothing in coursekit's source) goes through the
course's tools as the six do: assign writes its public tests, validation passes, grade, check and
grade --class find it, and the project's own checks of the rubrics discover it."""

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from coursekit.course.gradable import assignment_problems
from coursekit.grading import find_assignments

ROOT = Path(__file__).resolve().parents[2]
COURSEKIT = Path(sys.executable).with_name("coursekit")
CH7 = '''title = "Chapter 7: x times e to the x, added as data"
seed = 707

[tests.xexp]
points = 10
target = "Value(a) * Value(a).exp()"
cases = 5
a = [-3.0, 3.0]
examples = [{form = "Value(a) * Value(a).exp()", a = 1.0}]
boundaries = [{form = "Value(a) * Value(a).exp()", a = 0.0}]

[[tests.xexp.mistakes]]
hint = "exp's local gradient is e^x itself"
code = """
class Value(Value):
    def exp(self):
        import math
        return Value(math.exp(self.data), (self,), (0.0,))
"""
'''


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The course with autograder/ch7 added, and assign run on it (as an instructor would)."""
    course = tmp_path_factory.mktemp("course")
    for folder in ("solutions", "exercises", "autograder"):
        shutil.copytree(ROOT / folder, course / folder)
    (course / "autograder" / "ch7").mkdir()
    (course / "autograder" / "ch7" / "rubric.toml").write_text(CH7)
    done = run("assign", cwd=course)
    assert done.returncode == 0, done.stderr
    assert "wrote exercises/public-tests/ch7/rubric.toml" in done.stdout
    return course


def run(*args, cwd):
    return subprocess.run([COURSEKIT, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_the_new_chapter_is_an_assignment_everywhere(course):
    assert list(find_assignments(course / "autograder"))[-1] == "ch7"
    assert list(find_assignments(course / "exercises" / "public-tests"))[-1] == "ch7"
    assert assignment_problems(course / "autograder" / "ch7", course / "solutions") == []


def test_it_validates(course):
    done = run("assign", "--validate", "--no-notebooks", "--assignment", "ch7", cwd=course)
    assert done.returncode == 0, done.stdout + done.stderr


def test_grade_and_check_find_it(course):
    graded = run("grade", "solutions", "--assignment", "ch7", cwd=course)
    assert graded.returncode == 0 and "Total: 10 / 10" in graded.stdout, graded.stdout + graded.stderr
    checked = run("check", "solutions", "--assignment", "ch7", cwd=course)
    assert checked.returncode == 0 and "assignment ch7" in checked.stdout, checked.stdout + checked.stderr
    untouched = run("grade", "exercises", "--assignment", "ch7", cwd=course)
    assert untouched.returncode == 1 and "Total: 0 / 10" in untouched.stdout


def test_grade_class_grades_it(course):
    (course / "class" / "ada").mkdir(parents=True)
    shutil.copy(course / "solutions" / "value.py", course / "class" / "ada" / "value.py")
    done = run("grade", "--class", "class", "--assignment", "ch7", "-o", "ch7.csv", "--no-similarity", cwd=course)
    assert done.returncode == 0, done.stderr
    with open(course / "ch7.csv", newline="") as file:
        (row,) = csv.DictReader(file)
    assert (row["student"], row["xexp"], row["total"], row["max_total"], row["final"]) == ("ada", "10", "10", "10", "10")
