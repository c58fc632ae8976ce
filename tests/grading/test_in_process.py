"""The probe run in the grading process, as in the browser course, where no process can start:
the same scores as the sandbox, a runaway case stopped with the sandbox's message, the same
scores however busy the machine is, and the caller's import state (modules, path, hooks, folder)
as it was before."""

import itertools
import os
import sys
import time
import weakref

import pytest
from grading_helpers import EXERCISE, HIDDEN_TESTS, SOLUTION, VALUE_ASSIGNMENTS, failures, full_marks_except, solution_with

from coursekit.grading import grade, in_process, probe
from coursekit.grading.in_process import Stopped, stopped_at
from coursekit.grading.protocol import ChainRequest
from coursekit.grading.public import check_public_tests

HANG_GUARD = 60  # seconds; only there so that a regression cannot hang the suite


@pytest.fixture
def browser_kernel(monkeypatch):
    """sys.platform as Pyodide's, so that grading takes the path it takes in the browser."""
    monkeypatch.setattr(sys, "platform", "emscripten")


def import_state():
    return (dict(sys.modules), list(sys.path), list(sys.meta_path), list(sys.path_hooks), os.getcwd())


def public_scores(folder):
    return {(report.assignment, test.name): (test.score, test.max_score)
            for report in check_public_tests(folder / "value.py") for test in report.tests}


def student_folder(tmp_path, source):
    folder = tmp_path / "student"
    folder.mkdir()
    (folder / "public-tests").symlink_to(EXERCISE / "public-tests")
    (folder / "value.py").write_text(source)
    return folder


def test_the_solution_scores_as_in_the_sandbox_and_the_import_state_is_put_back(tmp_path, monkeypatch):
    folder = student_folder(tmp_path, SOLUTION)
    in_sandbox = public_scores(folder)
    monkeypatch.setattr(sys, "platform", "emscripten")
    before = import_state()
    here = public_scores(folder)
    assert import_state() == before
    assert here == in_sandbox
    # ch1 and ch4 grade value.py alone (ch2 has one test of its notebook)
    assert all(score == most for (assignment, _), (score, most) in here.items() if assignment in ("ch1", "ch4"))


def test_the_students_own_value_module_is_not_what_is_graded(tmp_path, browser_kernel, monkeypatch):
    """A notebook has imported the student's value.py; the check grades the file as it is now."""
    folder = student_folder(tmp_path, SOLUTION)
    monkeypatch.chdir(folder)
    monkeypatch.syspath_prepend(str(folder))
    import value  # noqa: F401  the notebook's `from value import Value`

    (folder / "value.py").write_text((EXERCISE / "value.py").read_text())
    scores = public_scores(folder)
    assert all(score == 0 for (assignment, _), (score, _) in scores.items() if assignment in VALUE_ASSIGNMENTS)
    assert sys.modules["value"].__file__ == str(folder / "value.py")
    del sys.modules["value"]


def test_a_loop_in_add_is_stopped_with_the_sandboxs_message(make_submission, quick_timeout_tests, browser_kernel):
    before = import_state()
    report = grade(make_submission(solution_with(__add__="while True:\n    pass")), quick_timeout_tests)
    assert import_state() == before
    assert next(test for test in report.tests if test.name == "add").score == 0
    assert "this case took longer than 2 s (infinite loop?) and was stopped" in failures(report, "add")
    assert full_marks_except(report, "add", "sub", "neg")  # sub (and maybe neg) are built on add
    assert report.elapsed < HANG_GUARD


def test_a_busy_machine_does_not_cost_a_right_answer_a_case(make_submission, browser_kernel, monkeypatch):
    """The wall clock of a machine so busy with other work that a minute passes between two readings:
    the cases are timed on the grading's own CPU time, so every case still runs to its answer."""
    minutes = itertools.count(step=60.0)
    monkeypatch.setattr(time, "monotonic", lambda: next(minutes))
    report = grade(make_submission(SOLUTION), HIDDEN_TESTS / "ch4")
    assert [failure.problem for test in report.tests for failure in test.failures] == []
    assert report.score == report.max_score == 30


def test_a_case_stopped_by_the_clock_says_it_was_stopped_and_the_rest_of_its_test_was_not_run(
        make_submission, browser_kernel, monkeypatch):
    """A clock that gains a second at each reading: the 10000-node chain (thousands of lines, so many
    readings) passes the 5 s of its case; the small graphs before it are read a few times and pass."""
    seconds = itertools.count()
    monkeypatch.setattr(in_process, "clock", lambda: next(seconds))
    report = grade(make_submission(SOLUTION), HIDDEN_TESTS / "ch4")
    (backward,) = report.tests
    said = [(failure.label, failure.problem) for failure in backward.failures]
    assert said[0] == ("backward on a chain of 10000 nodes",
                       "this case took longer than 5 s (infinite loop?) and was stopped")
    assert {problem for _, problem in said[1:]} == {"not run: this test timed out in an earlier case"}
    assert backward.total - backward.passed == len(said)
    assert backward.score == round(30 * backward.passed / backward.total, 2)


def loop_catching_every_exception():
    while True:
        try:
            while True:
                pass
        except Exception:
            pass


def test_the_stop_reaches_code_that_catches_every_exception():
    with pytest.raises(Stopped), stopped_at(0):
        loop_catching_every_exception()
    assert sys.gettrace() is None


class RecordedValue:
    """A Value whose instances are watched, with a recursive backward that fails on a long chain."""
    made = []

    def __init__(self, data, children=(), local_grads=()):
        self.data, self.grad, self._children, self._local_grads = data, 0, children, local_grads
        RecordedValue.made.append(weakref.ref(self))

    def backward(self):
        def visit(node):
            for child in node._children:
                visit(child)
        visit(self)


def test_a_failed_backward_frees_its_chain_before_its_error_is_reported():
    """In the browser, a 10⁴ chain freed from its output in one go overflows the tab's stack and
    kills the kernel: the graph must be freed by the probe (node by node), not later with the
    error's frames, which would still hold its output."""
    RecordedValue.made.clear()
    with pytest.raises(RecursionError) as caught:
        probe.run_backward(RecordedValue, ChainRequest(10_000, [1.0, 1.0], 1, [0]))
    assert caught.value.__traceback__ is not None
    assert len(RecordedValue.made) == 10_001
    assert [ref for ref in RecordedValue.made if ref() is not None] == []


def test_what_the_submission_prints_is_kept_and_cut_as_in_the_sandbox(make_submission, tiny_tests, monkeypatch):
    body = "import sys\nsys.stdout.write('x' * 100_000)\nsys.stderr.write('e' * 100_000)\n" + \
        "other = other if isinstance(other, Value) else Value(other)\nreturn Value(self.data + other.data, (self, other), (1, 1))"
    submission = make_submission(solution_with(__add__=body))
    in_sandbox = grade(submission, tiny_tests).output
    monkeypatch.setattr(sys, "platform", "emscripten")
    assert grade(submission, tiny_tests).output == in_sandbox
    assert "more bytes not shown" in in_sandbox["stdout"] and "more bytes not shown" in in_sandbox["stderr"]
