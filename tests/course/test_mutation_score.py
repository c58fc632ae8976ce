"""The mutation score of the rubrics: wrong variants of the solution that the tests must fail."""

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from coursekit.cli import main
from coursekit.course.mutation_score import mutation_report
from coursekit.course.validate import check_mutants, validate
from coursekit.grading import find_assignments

ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS = ROOT / "solutions"
AUTOGRADER = ROOT / "autograder"


def test_mutants_that_must_die():
    ch1 = mutation_report(AUTOGRADER / "ch1", SOLUTIONS)
    assert "value.py: Value.__mul__: `(other.data, self.data)` → `(self.data, other.data)`" in ch1.killed
    assert "value.py: Value.__add__: `self.data + other.data` → `self.data - other.data`" in ch1.killed
    assert {test.test: test.score for test in ch1.tests} == {"add": 100.0, "mul": 100.0}
    ch4 = mutation_report(AUTOGRADER / "ch4", SOLUTIONS)
    assert "value.py: Value.backward: `child.grad += local_grad * node.grad` → `child.grad = local_grad * node.grad`" \
        in ch4.killed


def test_a_known_equivalent_mutant_is_counted_apart_with_its_reason():
    swap = "value.py: Value.__add__: `(self, other)` → `(other, self)`"
    ch2 = mutation_report(AUTOGRADER / "ch2", SOLUTIONS)
    assert swap not in ch2.killed and swap not in ch2.survived
    assert ch2.equivalent[swap].startswith("add's local gradients are both 1")
    assert ch2.score == 100.0
    assert swap in mutation_report(AUTOGRADER / "ch1", SOLUTIONS).killed  # ch1 checks the children themselves


@pytest.fixture
def squares_only(tmp_path):
    """Chapter 1's tests, with mul checked on squares alone: a * a cannot tell its local gradients apart."""
    folder = tmp_path / "ch1"
    shutil.copytree(AUTOGRADER / "ch1", folder)
    rubric = folder / "rubric.toml"
    text = rubric.read_text()
    start, end = text.index("[tests.mul]"), text.index("[[tests.mul.mistakes]]")
    rubric.write_text(text[:start] + '[tests.mul]\npoints = 10\ntarget = "Value(a) * Value(a)"\ncheck = "local_grads"\n'
                      'examples = [{a = 2.0}, {a = -3.0}]\n\n' + text[end:].split("[[tests.mul.errors]]")[0])
    return folder


def test_a_weak_test_lets_a_mutant_through_and_validation_says_which(squares_only):
    report = mutation_report(squares_only, SOLUTIONS)
    swapped = "value.py: Value.__mul__: `(other.data, self.data)` → `(self.data, other.data)`"
    assert swapped in report.survived and report.score < 100
    mul = next(test for test in report.tests if test.test == "mul")
    assert swapped in mul.survived
    verdict = check_mutants(SOLUTIONS, squares_only)
    assert (verdict.expected, verdict.ok) == ("every wrong variant of the solution fails a test", False)
    assert verdict.got == ("88.2% (15 of 17 killed, 0 equivalent); survived: "
                           "value.py: Value.__mul__: `(self, other)` → `(other, self)`; " + swapped)
    result = CliRunner().invoke(main, ["assign", "--validate", "--no-notebooks", "--mutants", "--tests", str(squares_only),
                                       str(SOLUTIONS), str(ROOT / "exercises")])
    assert result.exit_code == 1
    assert "survives" in result.output and "FAIL" in result.output


def test_an_equivalent_that_a_test_kills_is_stale(tmp_path):
    folder = tmp_path / "ch1"
    shutil.copytree(AUTOGRADER / "ch1", folder)
    (folder / "mutants.toml").write_text(
        '[[equivalent]]\nmutant = "value.py: Value.__add__: `(self, other)` → `(other, self)`"\nreason = "it is not"\n'
        '[[equivalent]]\nmutant = "value.py: Value.cube: `3` → `4`"\nreason = "gone"\n')
    report = mutation_report(folder, SOLUTIONS)
    assert report.stale == ("value.py: Value.__add__: `(self, other)` → `(other, self)`: listed as equivalent, but add kills it",
                            "value.py: Value.cube: `3` → `4`: listed as equivalent, but no such mutant is made")


def stated_scores():
    """The table of the course's mutation scores in the instructor guide: {assignment: (mutants, equivalent, score)}."""
    text = (ROOT / "docs" / "instructor-guide.md").read_text()
    rows = re.findall(r"^\| (ch\d) \| (\d+) \| (\d+) \| ([\d.]+)% \|$", text, re.MULTILINE)
    return {name: (int(mutants), int(equivalent), float(score)) for name, mutants, equivalent, score in rows}


def test_the_course_reaches_the_mutation_scores_its_guide_states():
    stated = stated_scores()
    assert sorted(stated) == list(find_assignments(ROOT / "autograder"))
    reports = []
    verdicts = validate(SOLUTIONS, ROOT / "exercises", notebooks=False, mutants=reports.append)
    assert all(verdict.ok for verdict in verdicts), [verdict for verdict in verdicts if not verdict.ok]
    reached = {report.assignment: (len(report.killed) + len(report.survived) + len(report.equivalent),
                                   len(report.equivalent), report.score) for report in reports}
    assert reached == stated
