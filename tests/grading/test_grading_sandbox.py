"""Hostile submissions: each one costs only its own points, never hangs or fools the grader."""

import json
import os

import nbformat
import pytest
from grading_helpers import REPO, SOLUTION, failures, full_marks_except, scores, solution_with

from coursekit.grading import SubmissionError, grade


def assert_only_lost(report, *names):
    assert report.error is None, report.error
    assert all(scores(report)[name] == 0 for name in names)
    assert full_marks_except(report, *names, "sub", "div", "neg")  # derived ops may call the broken one


def test_an_infinite_loop_is_stopped_from_outside(make_submission, quick_timeout_tests):
    report = grade(make_submission(solution_with(relu="while True:\n    pass")), quick_timeout_tests)
    assert_only_lost(report, "relu")
    assert "took longer than 2 s" in failures(report, "relu")


def test_a_loop_that_catches_everything_is_still_stopped(make_submission, quick_timeout_tests):
    body = """
        import time
        while True:
            try:
                time.sleep(0.01)
            except BaseException:
                pass"""
    report = grade(make_submission(solution_with(exp=body)), quick_timeout_tests)
    assert_only_lost(report, "exp")
    assert "took longer than" in failures(report, "exp")


def test_ignoring_sigterm_does_not_help(make_submission, quick_timeout_tests):
    prelude = "import signal\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
    report = grade(make_submission(solution_with(prelude, log="while True:\n    pass")), quick_timeout_tests)
    assert_only_lost(report, "log")


def test_an_infinite_loop_at_import_time_is_reported(make_submission, quick_timeout_tests):
    report = grade(make_submission(solution_with("while True:\n    pass\n")), quick_timeout_tests)
    assert report.score == 0 and "importing the submission took longer than 2 s" in report.error


FILLS_THE_MEMORY = """
    cache = []
    for size in (10**7, 10**5, 10**3, 10):  # to the last byte: nothing is left to describe the error with
        try:
            while True:
                cache.append(bytearray(size))
        except MemoryError:
            pass
    while True:
        cache.append([])
"""


def test_filling_the_memory_at_import_time_is_reported_in_one_sentence(make_submission, tiny_tests):
    source = solution_with(FILLS_THE_MEMORY)
    line = source.splitlines().index("    cache.append([])") + 1
    report = grade(make_submission(source), tiny_tests)
    assert report.score == 0
    assert report.error == ("could not import the submission: MemoryError: ran out of memory (the limit is 512 MB) "
                            f"(value.py, line {line})")
    assert report.output["stderr"] == ""  # no traceback of the grader's own code


def test_a_graph_that_fills_the_memory_at_import_time_is_reported_in_one_sentence(make_submission, tiny_tests):
    """Memory runs out again while the import system unwinds the error: the place named is the first
    error's, when Python could record one (a traceback entry is memory too, and may be dropped)."""
    source = solution_with() + "\n\nx = Value(1.0)\nwhile x.data < 10:\n    x = x * 1.0\n"
    report = grade(make_submission(source), tiny_tests, memory_mb=256, case_seconds=120)  # a hang guard
    said = "could not import the submission: MemoryError: ran out of memory (the limit is 256 MB)"
    assert report.error == said or report.error.startswith(f"{said} (value.py, line "), report.error
    assert report.output["stderr"] == ""  # no traceback of the grader's own code


def test_the_submission_budget_stops_everything(make_submission, tiny_tests):
    report = grade(make_submission(solution_with(__add__="while True:\n    pass")), tiny_tests, submission_seconds=1.5)
    assert report.score == 0
    assert "used up its 1.5 s" in failures(report, "add") and "used up its 1.5 s" in failures(report, "backward")


BROKEN_OPS = {  # behaviour -> (test, method, body, message)
    "sys.exit": ("exp", "exp", "import sys\nsys.exit(3)", "the code called sys.exit(3)"),
    "os._exit": ("relu", "relu", "import os\nos._exit(0)", "exited with code 0 without answering"),
    "segfault": ("exp", "exp", "import ctypes\nctypes.string_at(0)", "crashed (segmentation fault)"),
    "memory hog": ("pow", "__pow__", "hog = []\nwhile True:\n    hog.append(bytearray(10**7))", "ran out of memory (the limit is 512 MB)"),
    "recursion": ("neg", "__neg__", "return -self", "RecursionError"),
    "returns a float": ("exp", "exp", "return math.exp(self.data)", "a.exp() returned a number, not a Value"),
}


@pytest.mark.parametrize("behaviour", BROKEN_OPS)
def test_a_broken_op_costs_only_that_op_with_a_clear_message(behaviour, make_submission, tiny_tests):
    test, method, body, message = BROKEN_OPS[behaviour]
    report = grade(make_submission(solution_with(**{method: body})), tiny_tests)
    assert_only_lost(report, test)
    assert message in failures(report, test)


def test_fake_results_printed_to_stdout_change_nothing(make_submission, tiny_tests):
    fake = json.dumps({"graph": {"data": [-1.0], "children": [[]], "local": [[]], "inputs": [None, None]}})
    body = f"print({fake!r})\nprint('ALL TESTS PASSED')\nreturn Value(0.0)"
    report = grade(make_submission(solution_with(__add__=body)), tiny_tests)
    assert_only_lost(report, "add")
    assert "ALL TESTS PASSED" in report.output["stdout"]


def test_lying_numbers_are_read_for_what_they_are(make_submission, tiny_tests):
    prelude = """
        class Liar(float):
            def __eq__(self, other):
                return True
            __hash__ = float.__hash__
            def __float__(self):
                return -1.0
    """
    body = "return Value(Liar(123.0), (self, other), (Liar(7.0), Liar(7.0)))"
    report = grade(make_submission(solution_with(prelude, __mul__=body)), tiny_tests)
    assert_only_lost(report, "mul")
    assert "data: expected -6, got 123" in failures(report, "mul")


def test_patching_the_checkers_inside_the_child_changes_nothing(make_submission, tiny_tests):
    prelude = """
        import math, unittest
        math.isclose = lambda *args, **kwargs: True
        unittest.TestCase.assertEqual = lambda *args, **kwargs: None
    """
    body = "return Value(42.0, (self, other), (0.0, 0.0))"
    source = solution_with(prelude, __add__=body).replace("    def __repr__", "    def __eq__(self, other):\n        return True\n\n    __hash__ = object.__hash__\n\n    def __repr__")
    report = grade(make_submission(source), tiny_tests)
    assert_only_lost(report, "add")


def test_the_child_cannot_see_the_grader(make_submission, tiny_tests):
    prelude = """
        import json, os, sys
        print(json.dumps({"cwd": os.getcwd(), "path": sys.path, "files": sorted(os.listdir("."))}))
        try:
            import coursekit.engine
        except ImportError as error:
            print("refused:", error)
    """
    folder = make_submission(solution_with(prelude))
    report = grade(folder, tiny_tests)
    seen = json.loads(report.output["stdout"].splitlines()[0])
    assert seen["files"] == ["value.py"] and seen["cwd"] != str(folder)
    assert not any(str(REPO) in entry or "site-packages" in entry for entry in seen["path"])
    assert "refused: the submission uses coursekit's reference engine" in report.output["stdout"]
    assert report.passed


@pytest.mark.parametrize("line", ["from coursekit import Value", "from coursekit.engine import Value",
                                  "from coursekit.grading import protocol", "import coursekit.grading.protocol"])
def test_using_the_reference_engine_is_refused(line, make_submission, tiny_tests):
    report = grade(make_submission(f"{line}\n"), tiny_tests)
    assert report.score == 0
    assert "uses coursekit's reference engine" in report.error and "value.py, line 1" in report.error


def test_a_subclass_of_the_reference_engine_is_refused(make_submission, tiny_tests):
    report = grade(make_submission("import coursekit\nclass Value(coursekit.Value):\n    pass\n"), tiny_tests)
    assert report.score == 0 and "reference engine" in report.error


def test_no_process_started_by_the_submission_survives(make_submission, tmp_path, tiny_tests):
    pids = tmp_path / "pids"
    prelude = f"""
        import os, subprocess, time
        def _leave_processes_behind():
            with open({str(pids)!r}, "a") as out:
                out.write(f"{{subprocess.Popen(['sleep', '120']).pid}}\\n")
            if os.fork() == 0:  # double fork into a new session: out of the process group
                os.setsid()
                if os.fork() == 0:
                    with open({str(pids)!r}, "a") as out:
                        out.write(f"{{os.getpid()}}\\n")
                    time.sleep(120)
                os._exit(0)
            for _ in range(200):
                if open({str(pids)!r}).read().count("\\n") >= 2:
                    break
                time.sleep(0.01)
        try:
            _leave_processes_behind()
        except OSError:
            pass  # not root: RLIMIT_NPROC forbids new processes, nothing to leave behind
    """
    report = grade(make_submission(solution_with(prelude)), tiny_tests)
    assert report.passed
    left = [int(pid) for pid in pids.read_text().split()] if pids.exists() else []
    if os.geteuid() == 0:
        assert len(left) == 2
    for pid in left:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_huge_output_is_truncated_and_grading_goes_on(make_submission, tiny_tests):
    body = "import sys\nsys.stdout.write('x' * 30_000_000)\nsys.stderr.write('e' * 100_000)\n" + \
        "other = other if isinstance(other, Value) else Value(other)\nreturn Value(self.data + other.data, (self, other), (1, 1))"
    report = grade(make_submission(solution_with(__add__=body)), tiny_tests)
    assert report.passed
    assert len(report.output["stdout"]) < 5000 and "more bytes not shown" in report.output["stdout"]
    assert "more bytes not shown" in report.output["stderr"]


@pytest.mark.parametrize("source, message", [
    ("class Value:\n    def __init__(self, data\n", "SyntaxError: '(' was never closed (value.py, line 2)"),
    (b"NAME = 'caf\xe9'\nclass Value:\n    pass\n", "not UTF-8 text"),
    ("raise RuntimeError('broken at import')\n", "RuntimeError: broken at import (value.py, line 1)"),
    ("import sys\nsys.exit(2)\n", "called sys.exit(2)"),
    ("import numpy as np\n", "the code imports numpy, which the grader does not have: graded code may import only "
                             "Python's standard library (math, random, ...) (value.py, line 1)"),
    ("x = float(input('x = '))\n", "input() was called, and the grader types nothing: graded code must not ask for "
                                    "input (value.py, line 1)"),
    ("class Valeur:\n    pass\n", "defines no class named Value"),
])
def test_a_submission_that_cannot_be_imported_scores_zero_with_the_reason(source, message, make_submission, tiny_tests):
    report = grade(make_submission(source), tiny_tests)
    assert report.score == 0 and message in report.error
    assert report.error.count(message) == 1  # said once, for the whole submission
    assert all(test.score == 0 and test.passed == 0 and not test.failures for test in report.tests)


def test_a_missing_method_costs_only_its_op(make_submission, tiny_tests):
    source = solution_with().replace("    def log(self):", "    def _log(self):")
    report = grade(make_submission(source), tiny_tests)
    assert_only_lost(report, "log")
    assert "'Value' object has no attribute 'log'" in failures(report, "log")


def test_local_grads_stored_as_values_are_named(make_submission, tiny_tests):
    body = "other = other if isinstance(other, Value) else Value(other)\nreturn Value(self.data * other.data, (self, other), (other, self))"
    report = grade(make_submission(solution_with(__mul__=body)), tiny_tests)
    assert "a local gradient is a Value, not a number (store the number, .data, not the Value)" in failures(report, "mul")


# -- notebooks --------------------------------------------------------------------------------


def notebook_of(*cells):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("# My Value")] + [nbformat.v4.new_code_cell(c) for c in cells]
    return notebook


def test_a_notebook_that_draws_with_coursekit_still_grades(tmp_path, tiny_tests):
    path = tmp_path / "alice.ipynb"
    nbformat.write(notebook_of(
        "%load_ext coursekit\n!pip install nothing\nfrom coursekit import draw_dot",
        SOLUTION,
        "%%trace\na = Value(2.0)\nb = a * 3\ndraw_dot(b)",
        "undefined_name + 1  # an exploration cell: not run while grading",
        "w = [Value(1.0)]\nw[0].grad, NAME = 0.5, 'w'  # changes what exploration made: not run either",
        "    %timeit Value(1.0) + 2",
        "import no_such_module\nLIMIT = 3",
    ), path)
    report = grade(path, tiny_tests)
    assert report.passed and report.submission == "alice"
    assert report.notes == ()  # an import the grader cannot do fails only the code that uses its name


def test_a_notebook_using_the_reference_value_is_refused(tmp_path, tiny_tests):
    path = tmp_path / "bob.ipynb"
    nbformat.write(notebook_of("from coursekit import Value", "x = Value(2.0) + 3"), path)
    report = grade(path, tiny_tests)
    assert report.score == 0 and "reference engine" in report.error


@pytest.mark.parametrize("content", ["{not json", '{"cells": 3}', ""])
def test_a_corrupt_notebook_is_a_clear_error(content, tmp_path, tiny_tests):
    path = tmp_path / "broken.ipynb"
    path.write_text(content)
    with pytest.raises(SubmissionError, match="broken.ipynb: not a readable notebook"):
        grade(path, tiny_tests)


def test_grading_leaves_no_temporary_folder_behind(make_submission, tiny_tests, tmp_path, monkeypatch):
    import tempfile

    private = tmp_path / "tmp"  # a temp folder of its own: other graders may share the system's
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    grade(make_submission(solution_with(__add__="import os\nos._exit(1)")), tiny_tests)
    assert list(private.iterdir()) == []


def test_ints_and_bools_are_numbers_too(make_submission, tiny_tests):
    report = grade(make_submission(solution_with(relu="return Value(max(0, self.data), (self,), (self.data > 0,))")), tiny_tests)
    assert report.passed


def test_lines_written_to_the_grader_channel_are_ignored(make_submission, tiny_tests):
    # the answers pipe is the second number on the probe's command line; the submission finds it
    forged = {"graph": {"data": [0.6931471805599453], "children": [[]], "local": [[]], "inputs": [0]}, "id": "guess"}
    body = f"import json, os, sys\nos.write(int(sys.argv[2]), b'garbage\\n' + json.dumps({forged!r}).encode() + b'\\n')\nreturn Value(self.data)"
    report = grade(make_submission(solution_with(log=body)), tiny_tests)
    assert_only_lost(report, "log")
    assert failures(report, "log") == "data: expected 0.693147, got 2 | "


def test_a_forged_greeting_is_ignored(make_submission, tiny_tests):
    prelude = "import os, sys\nos.write(int(sys.argv[2]), b'{\"ready\": true, \"notes\": 5}\\n')\n"
    report = grade(make_submission(solution_with(prelude)), tiny_tests)
    assert report.passed and report.notes == ()


def test_flooding_the_grader_channel_costs_only_that_case(make_submission, tiny_tests):
    body = "import os, sys\nos.write(int(sys.argv[2]), b'x' * (8 << 20))\nreturn self.data"
    report = grade(make_submission(solution_with(exp=body)), tiny_tests)
    assert_only_lost(report, "exp")
    assert "flooded" in failures(report, "exp")


def test_symbolic_links_in_a_submission_are_not_followed(make_submission, tmp_path, tiny_tests):
    secret = tmp_path / "secret.py"
    secret.write_text("TOKEN = 'do not read'\n")
    folder = make_submission(solution_with("import os\nprint(sorted(os.listdir('.')))\n"))
    (folder / "helper.py").symlink_to(secret)
    (folder / "linked").symlink_to(tmp_path, target_is_directory=True)
    report = grade(folder, tiny_tests)
    assert report.passed and report.output["stdout"].strip() == "['value.py']"
