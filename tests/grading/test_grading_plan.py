"""The plan: drawn once per run, its known mistakes' answers with it, and never changed by grading."""

import threading

import pytest
from grading_helpers import EXERCISE, HIDDEN_TESTS, REPO

from coursekit.grading import grade_plan, plan_run
from coursekit.grading.rubric import find_assignments


def test_grading_a_failing_submission_leaves_the_plan_as_drawn():
    plan = plan_run(HIDDEN_TESTS / "ch1")
    before = [test.mistake_answers() for test in plan.tests]
    report = grade_plan(REPO / "tests" / "grading" / "golden" / "submissions" / "swapped_mul", plan)
    assert any(outcome.hint for test in report.tests for outcome in test.failures)  # the mistakes were used
    assert [test.mistake_answers() for test in plan.tests] == before
    assert all(now is then for now, then in zip((test.mistake_answers() for test in plan.tests), before))
    assert plan == plan_run(HIDDEN_TESTS / "ch1")


def test_without_threads_the_mistakes_are_drawn_before_the_plan_is_handed_on(monkeypatch):
    """A browser's Pyodide kernel cannot start a thread: the same answers are drawn in line."""
    threaded = [test.mistake_answers() for test in plan_run(HIDDEN_TESTS / "ch4").tests]

    def refuse(self):
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(threading.Thread, "start", refuse)
    plan = plan_run(HIDDEN_TESTS / "ch4")
    assert all(test.mistakes.done() for test in plan.tests)
    assert [test.mistake_answers() for test in plan.tests] == threaded
    assert any(answer is not None for test in threaded for case in test for answer in case)


@pytest.mark.parametrize("assignment", sorted(find_assignments(EXERCISE / "public-tests")))
def test_the_public_tests_pose_exactly_the_examples_of_the_hidden_tests(assignment):
    """What %check runs is what `coursekit grade` runs on the same examples (ch4's chain of 10⁴
    nodes included), so a pass at home is the same pass in the grader."""
    hidden = {test.spec.name: test for test in plan_run(HIDDEN_TESTS / assignment).tests}
    for public in plan_run(EXERCISE / "public-tests" / assignment).tests:
        posed = hidden[public.spec.name].cases[:len(public.cases)]
        assert [(case.label, case.request) for case in public.cases] == [(case.label, case.request) for case in posed]
