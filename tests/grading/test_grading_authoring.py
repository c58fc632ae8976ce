"""An instructor adds tests by editing the assignment folder (and the solution they check): the guide's
tanh and sin, for real."""

import re
import shutil

import pytest
from click.testing import CliRunner
from grading_helpers import REPO, SOLUTION, failures, full_marks_except

from coursekit.cli import main
from coursekit.course.assign import assign
from coursekit.grading import grade

GUIDE = (REPO / "docs" / "writing-tests.md").read_text()
TANH_AND_SIN = '''
    def tanh(self):
        t = math.tanh(self.data)
        return Value(t, (self,), (1 - t * t,))

    def sin(self):
        return Value(math.sin(self.data), (self,), (math.cos(self.data),))
'''


def guide_block(first_line):
    """The code block of docs/writing-tests.md that starts with `first_line`."""
    blocks = re.findall(r"```\w+\n(.*?)```", GUIDE, flags=re.S)
    return next(block for block in blocks if block.startswith(first_line))


@pytest.fixture
def course(tmp_path):
    """A copy of the course whose ch2 rubric folder got the guide's two tests, and nothing else changed."""
    for folder in ("solutions", "exercises", "autograder"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    ch2 = tmp_path / "autograder" / "ch2"
    (ch2 / "rubric.toml").write_text((ch2 / "rubric.toml").read_text() + "\n" + guide_block("# autograder/ch2/rubric.toml"))
    (ch2 / "sin.py").write_text(guide_block("# autograder/ch2/sin.py"))
    solution = tmp_path / "solutions" / "value.py"  # assign refuses tests the solutions fail
    solution.write_text(solution.read_text().replace("\n    def backward(self):", TANH_AND_SIN + "\n    def backward(self):"))
    return tmp_path


def student(root, methods):
    folder = root / "student"
    shutil.copytree(REPO / "solutions", folder)
    (folder / "value.py").write_text(SOLUTION.replace("\n    def backward(self):", methods + "\n    def backward(self):"))
    return folder


def test_tanh_and_sin_are_graded_from_the_rubric_folder_alone(course):
    report = grade(student(course, TANH_AND_SIN), course / "autograder", assignment="ch2")
    tests = {test.name: test for test in report.tests}
    assert tests["tanh"].total > 5 and tests["sin"].total > 5
    assert report.passed and report.score == report.max_score == 65


def test_the_tanh_mistake_of_the_guide_gets_its_hint(course):
    wrong = TANH_AND_SIN.replace("(1 - t * t,)", "(1 - self.data ** 2,)")
    report = grade(student(course, wrong), course / "autograder", assignment="ch2")
    assert "tanh's local gradient is 1 - tanh(a)**2" in failures(report, "tanh")
    assert full_marks_except(report, "tanh")


def test_work_without_tanh_and_sin_loses_only_those_tests(course):
    report = grade(REPO / "solutions", course / "autograder", assignment="ch2")
    assert "'Value' object has no attribute 'tanh'" in failures(report, "tanh")
    assert "'Value' object has no attribute 'sin'" in failures(report, "sin")
    assert full_marks_except(report, "tanh", "sin")


def test_the_public_tests_and_check_follow(course, monkeypatch):
    assign(course / "solutions", course / "exercises")
    public = (course / "exercises" / "public-tests" / "ch2" / "rubric.toml").read_text()
    assert "[tests.tanh]" in public and "Value(1.0).sin()" in public and "math.sin" not in public
    folder = student(course, TANH_AND_SIN)
    monkeypatch.chdir(course / "exercises")
    checked = CliRunner().invoke(main, ["check", str(folder), "--assignment", "ch2"])
    assert checked.exit_code == 0, checked.output
    assert "tanh" in checked.output and "sin" in checked.output
