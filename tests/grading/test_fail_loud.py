"""A rubric that cannot be graded as written is refused, loudly, wherever it is used: `grade`,
`grade --class` and Gradescope's run_autograder, run as a user runs them (a subprocess). Nothing
is graded on what is left of it, and the student reads nothing of it."""

import json
import shutil

import pytest
from grading_helpers import HIDDEN_TESTS, REPO, without_fixed_cases

from coursekit.grading.gradescope import RUBRIC_BROKEN, run_autograder

CH1 = (HIDDEN_TESTS / "ch1" / "rubric.toml").read_text()
TYPO = without_fixed_cases(CH1.replace('target = ["Value(a) * Value(b)"', 'target = ["Value(a).times(Value(b))"'), "mul")
assert "examples = []" in TYPO and "boundaries = []" in TYPO
REFUSAL = (f"Error: autograder/ch1/rubric.toml:{TYPO.splitlines().index('[tests.mul]') + 1}: [tests.mul] case hidden "
           "case: a.times(b): the reference raised AttributeError: 'Value' object has no attribute 'times'\n")


@pytest.fixture
def typo_course(tmp_path):
    """A course folder whose ch1 rubric has a typo in mul's target, and a class of two students."""
    assert TYPO.count(".times(") == 1
    (tmp_path / "autograder" / "ch1").mkdir(parents=True)
    (tmp_path / "autograder" / "ch1" / "rubric.toml").write_text(TYPO)
    for student in ("alice", "bob"):
        (tmp_path / "class" / student).mkdir(parents=True)
        shutil.copy(REPO / "solutions" / "value.py", tmp_path / "class" / student / "value.py")
    return tmp_path


def test_a_target_typo_fails_grade_loud(typo_course, run_coursekit):
    done = run_coursekit("grade", "class/alice", "--tests", "autograder", cwd=typo_course)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == REFUSAL  # one line: the rubric file (relative), the line, the test


def test_a_target_typo_fails_grade_class_loud_and_writes_no_gradebook(typo_course, run_coursekit):
    done = run_coursekit("grade", "--class", "class", "--tests", "autograder", "-o", "gradebook.csv", "--no-similarity",
                         cwd=typo_course)
    assert done.returncode == 2
    assert done.stderr == REFUSAL  # one line: the rubric file (relative), the line, the test
    assert not (typo_course / "gradebook.csv").exists()


def test_gradescope_shows_the_student_nothing_of_a_broken_rubric(typo_course, capsys):
    root = typo_course / "gs"
    shutil.copytree(typo_course / "autograder" / "ch1", root / "source" / "autograder" / "ch1")
    shutil.copytree(typo_course / "class" / "alice", root / "submission")
    results = json.loads(run_autograder(root).read_text())
    assert results["score"] == 0 and results["output"] == RUBRIC_BROKEN
    assert [(test["name"], test["max_score"]) for test in results["tests"]] == [("add", 10.0), ("mul", 10.0)]
    shown = json.dumps(results)
    assert "times" not in shown and "rubric.toml" not in shown and str(typo_course) not in shown
    assert capsys.readouterr().err == REFUSAL.replace("Error: ", "coursekit: ", 1)  # for the instructor's log


def test_a_domain_without_valid_input_never_shrinks_max_total(tmp_path, run_coursekit):
    ch2 = HIDDEN_TESTS / "ch2"
    shutil.copytree(ch2, tmp_path / "autograder" / "ch2")
    rubric = tmp_path / "autograder" / "ch2" / "rubric.toml"
    changed = rubric.read_text().replace("a = [0.01, 100.0]", "a = [-5.0, -1.0]")  # log of negative numbers only
    assert changed != rubric.read_text()
    rubric.write_text(changed)
    done = run_coursekit("grade", str(REPO / "solutions"), "--tests", "autograder", cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == "" and done.stderr.count("\n") == 1
    assert done.stderr.startswith("Error: autograder/ch2/rubric.toml:")
    assert "[tests.log] no input in its domains that the reference accepts" in done.stderr


def test_a_broken_rubric_is_refused_before_any_gradebook_row_survives(typo_course, run_coursekit):
    """A gradebook from an earlier, valid rubric is left as it was: nothing is rewritten."""
    (typo_course / "gradebook.csv").write_text("student,total\nalice,20\n")
    done = run_coursekit("grade", "--class", "class", "--tests", "autograder", "-o", "gradebook.csv", "--no-similarity",
                         cwd=typo_course)
    assert done.returncode == 2 and (typo_course / "gradebook.csv").read_text() == "student,total\nalice,20\n"



def test_a_fault_in_the_grader_shows_the_student_no_exception(typo_course, monkeypatch, capsys):
    from coursekit import grading
    from coursekit.grading.gradescope import INTERNAL_ERROR

    def broken(*args, **kwargs):
        raise KeyError("/home/instructor/secret/autograder/ch1")

    monkeypatch.setattr(grading, "plan_run", broken)
    root = typo_course / "gs"
    shutil.copytree(typo_course / "class" / "alice", root / "submission")
    results = json.loads(run_autograder(root).read_text())
    assert results["output"] == INTERNAL_ERROR and "secret" not in json.dumps(results)
    assert "KeyError: '/home/instructor/secret/autograder/ch1'" in capsys.readouterr().err  # the instructor's log


def test_a_fault_in_the_grader_is_the_instructors_row_and_one_sentence_for_the_student(monkeypatch, tiny_tests):
    from coursekit.grading import classroom, plan_run

    def broken(*args, **kwargs):
        raise KeyError("/home/instructor/secret")

    monkeypatch.setattr(classroom, "grade_plan", broken)
    plan = plan_run(tiny_tests)
    path = REPO / "solutions"
    graded = classroom.grade_student("alice", path, plan, classroom.run_stamp(plan), classroom.read_submission(path, plan.rubric))
    assert graded.row["error"] == "internal error while grading: KeyError: '/home/instructor/secret'"
    assert graded.row["total"] == "0" and graded.row["max_total"] == "100"
    assert graded.error_for_student == classroom.GRADER_FAULT and "secret" not in graded.error_for_student
