"""A hang costs seconds, not the submission; functions in notebooks are as sandboxed as value.py."""

import json
import shutil

import nbformat
import pytest
from grading_helpers import HIDDEN_TESTS, REPO, SOLUTION, failures, full_marks_except, solution_with, value_rubric

from coursekit.grading import grade

CASE_SECONDS = 1
HANG_GUARD = 60  # far above the expected few seconds: only there so that a regression cannot hang the suite


@pytest.fixture(scope="module")
def many_cases(tmp_path_factory):
    """The course's value.py tests with all their cases, and a short limit per case."""
    folder = tmp_path_factory.mktemp("many")
    (folder / "rubric.toml").write_text(value_rubric({"case_seconds": CASE_SECONDS}))
    for assignment in ("ch1", "ch2", "ch4"):
        for code in (HIDDEN_TESTS / assignment).glob("*.py"):
            shutil.copy(code, folder / code.name)
    return folder


LOOPS = {
    "a loop": "while True:\n    pass",
    "a loop that swallows every exception": """
        import time
        while True:
            try:
                time.sleep(0.01)
            except BaseException:
                pass""",
}


@pytest.mark.parametrize("loop", LOOPS)
def test_after_a_case_times_out_the_rest_of_its_test_fails_at_once(loop, make_submission, many_cases):
    report = grade(make_submission(solution_with(__add__=LOOPS[loop])), many_cases)
    add = next(test for test in report.tests if test.name == "add")
    assert add.score == 0 and add.total > 10
    assert f"took longer than {CASE_SECONDS} s" in failures(report, "add")
    assert "timed out in an earlier case" in failures(report, "add")
    assert full_marks_except(report, "add", "sub", "neg")  # sub (and maybe neg) are built on add
    assert next(test for test in report.tests if test.name == "backward").score == 30
    # one timed-out case for add and one for each test built on it, not one per case
    assert report.elapsed < HANG_GUARD


def chapter_folder(root, chapter, replace=None):
    """A submission folder: the solution value.py and one solution notebook, a cell's code replaced."""
    folder = root / "student"
    folder.mkdir()
    (folder / "value.py").write_text(SOLUTION)
    notebook = nbformat.read(REPO / "solutions" / chapter, as_version=4)
    if replace:
        old, new = replace
        cell = next(cell for cell in notebook.cells if old in cell.source)
        cell.source = new
    nbformat.write(notebook, folder / chapter)
    return folder


def test_a_function_in_a_notebook_that_hangs_costs_only_its_test(tmp_path):
    hang = "def nudge(f, x, h=1e-6):\n    while True:\n        pass\n"
    folder = chapter_folder(tmp_path, "ch3-the-nudge-test.ipynb", ("def nudge(", hang))
    report = grade(folder, HIDDEN_TESTS, assignment="ch3", case_seconds=CASE_SECONDS)
    assert report.error is None
    assert "took longer than" in failures(report, "nudge") and "timed out in an earlier case" in failures(report, "nudge")
    assert full_marks_except(report, "nudge") and report.elapsed < HANG_GUARD


def test_a_notebook_without_the_function_costs_only_its_test(tmp_path):
    folder = chapter_folder(tmp_path, "ch6-a-gpt.ipynb", ("def softmax(", "pass"))
    report = grade(folder, HIDDEN_TESTS, assignment="ch6")
    assert "NameError: name 'softmax' is not defined" in failures(report, "softmax")
    assert full_marks_except(report, "softmax", "cross_entropy", "attention_head")  # they call softmax


def test_a_function_returning_the_wrong_number_of_outputs_is_named(tmp_path):
    wrong = "def softmax(logits):\n    return [logits[0]]\n\ndef cross_entropy(logits, target):\n    return 1.0\n"
    folder = chapter_folder(tmp_path, "ch6-a-gpt.ipynb", ("def softmax(", wrong))
    report = grade(folder, HIDDEN_TESTS, assignment="ch6")
    assert "expected 3 output(s), got 1" in failures(report, "softmax")
    assert "returned a number, not a Value" in failures(report, "cross_entropy")


SPY = """
import json, os, sys

def softmax(logits):
    requests, names, frame = [], [], sys._getframe()
    while frame is not None:  # every frame up to the grader's own loop in the child
        names += list(frame.f_locals)
        requests += [repr(frame.f_locals["request"])] if "request" in frame.f_locals else []
        frame = frame.f_back
    print("SPY " + json.dumps({"files": sorted(os.listdir(".")), "requests": requests, "names": names}))
    return logits
"""


def test_a_notebook_function_sees_no_expected_answer_and_no_reference_code(tmp_path):
    folder = chapter_folder(tmp_path, "ch6-a-gpt.ipynb", ("def softmax(", SPY))
    report = grade(folder, HIDDEN_TESTS, assignment="ch6")
    lines = [line for line in report.output["stdout"].splitlines() if line.startswith("SPY ")]
    spied = [json.loads(lines[0][4:])]  # the first case's (the output is truncated after a few)
    assert spied and spied[0]["files"] == ["_notebook.py", "value.py"]  # no rubric, no reference code
    assert spied[0]["requests"] and "softmax(logits)" in spied[0]["requests"][0]
    seen = json.dumps(spied)
    assert "gpt_pieces" not in seen and "def adam_step" not in seen and "Values(" not in seen
    assert '"outputs"' not in seen and "expected" not in seen  # the request holds inputs only
    assert "not run" not in failures(report, "softmax")


@pytest.mark.parametrize("body, message", [
    ("import os\n    os._exit(0)", "exited with code 0 without answering"),
    ("import sys\n    sys.exit(3)", "the code called sys.exit(3)"),
    ("return softmax(logits)", "RecursionError"),
])
def test_a_notebook_function_that_crashes_costs_only_the_tests_that_call_it(body, message, tmp_path):
    folder = chapter_folder(tmp_path, "ch6-a-gpt.ipynb", ("def softmax(", f"def softmax(logits):\n    {body}\n"))
    report = grade(folder, HIDDEN_TESTS, assignment="ch6")
    assert report.error is None and message in failures(report, "softmax")
    assert full_marks_except(report, "softmax", "cross_entropy", "attention_head")
