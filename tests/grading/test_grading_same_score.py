"""Same code, same score: graded ten times, in a class, as a copy under another name, and through
the Gradescope dry run: the random cases come from the rubric's own seed, never from the run."""

import csv
import json
import shutil

import pytest
from click.testing import CliRunner
from grading_helpers import HIDDEN_TESTS, solution_with

from coursekit.cli import main
from coursekit.grading import grade
from coursekit.grading.gradescope import run_autograder

POW_WITHOUT_N = solution_with(__pow__="return Value(self.data ** n, (self,), (self.data ** (n - 1),))")


def class_total(root, tests, tmp_path, *seed):
    gradebook = tmp_path / "gradebook.csv"
    result = CliRunner().invoke(main, ["grade", "--class", str(root), "-o", str(gradebook), "--tests", str(tests),
                                       "--no-similarity", *seed])
    assert result.exit_code == 0, result.output
    with open(gradebook, newline="") as file:
        return {row["student"]: float(row["total"]) for row in csv.DictReader(file)}


@pytest.fixture
def submissions(tmp_path):
    root = tmp_path / "submissions"
    for name in ("alice", "copy-of-alice"):
        (root / name).mkdir(parents=True)
        (root / name / "value.py").write_text(POW_WITHOUT_N)
    return root


def test_the_rubrics_seed_gives_one_score_everywhere_gradescope_included(submissions, tmp_path):
    chapter = HIDDEN_TESTS / "ch2"  # pow, with random cases drawn from the rubric's own seed
    alone = {grade(submissions / "alice", chapter).score for _ in range(10)}
    assert len(alone) == 1
    (score,) = alone
    assert 0 < score < grade(submissions / "alice", chapter).max_score
    assert grade(submissions / "copy-of-alice", chapter).score == score
    assert class_total(submissions, chapter, tmp_path) == {"alice": score, "copy-of-alice": score}
    root = tmp_path / "autograder"
    shutil.copytree(chapter, root / "source" / "autograder" / "ch2")
    (root / "submission").mkdir()
    shutil.copy(submissions / "alice" / "value.py", root / "submission" / "value.py")
    assert json.loads(run_autograder(root).read_text())["score"] == score


def test_fixed_cases_give_one_score_everywhere_gradescope_included(submissions, tmp_path, boundary_tests):
    scores = {grade(submissions / "alice", boundary_tests).score for _ in range(10)}
    scores |= set(class_total(submissions, boundary_tests, tmp_path).values())
    root = tmp_path / "autograder"
    shutil.copytree(boundary_tests, root / "source" / "autograder")
    (root / "submission").mkdir()
    shutil.copy(submissions / "alice" / "value.py", root / "submission" / "value.py")
    scores.add(json.loads(run_autograder(root).read_text())["score"])
    assert len(scores) == 1 and 0 < scores.pop() < 100
