"""The plan: drawn once per run, its known mistakes' answers with it, and never changed by grading."""

import threading

from grading_helpers import HIDDEN_TESTS, REPO

from coursekit.grading import grade_plan, plan_run


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
