"""Step 3 in a kernel that cannot start processes (Pyodide, in the browser course): the probe runs
in this process, with the same staging and the same import guards as in the sandbox's child.

While it runs, the staged folder is the current folder and first on sys.path, the student's own
modules (value.py, imported by their notebook) are forgotten so that the staged copy is what is
graded, and coursekit is the probe's drawing-only stand-in. Afterwards sys.modules, sys.path, the
import hooks and the current folder are put back as they were, whatever the code did.

There is no process to kill, so a runaway case is stopped from inside: a trace function reads the
clock as the submission runs and raises Stopped past the case's time. The clock is this process's
CPU time, not the wall's, wherever the platform keeps one (Pyodide's is the time since Python
started): a machine busy with other work must not make a right answer run out of time, and the
trace already makes every line several times slower than in the sandbox's child. Memory and
file-size limits need a process of their own: in the browser there are none beyond the tab's.
"""

import contextlib
import io
import os
import sys
import time

from coursekit.grading import probe, protocol
from coursekit.grading.protocol import Failure
from coursekit.grading.sandbox import TIMED_OUT_BEFORE, Output, ProbeRun, _out_of_time

clock = time.process_time  # seconds of CPU this process used: the time a case and a submission are given
LINES_PER_READING = 1000  # lines run between two readings of the clock: a reading costs more than a line


class Stopped(BaseException):
    """Raised into the submission's code when its case runs out of time (a BaseException, so that
    `except Exception` in the student's code does not swallow it)."""


def run_probe_here(folder, entry, requests, limits, needs=()):
    """run_probe's answers, computed in this process (see the module's docstring)."""
    budget_ends = clock() + limits.submission_seconds
    stdout, stderr = io.StringIO(), io.StringIO()
    answers, hung = {}, set()
    with guarded_imports(folder), contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        greeting = _ask(lambda: probe.start(entry, needs), limits, budget_ends, importing=True)
        if isinstance(greeting, Failure):
            return ProbeRun({}, greeting, [], _texts(stdout, stderr, limits))
        namespace, notes = greeting
        for key, request in requests.items():
            if clock() >= budget_ends:
                answers[key] = _out_of_time(limits)
            elif key[0] in hung:
                answers[key] = TIMED_OUT_BEFORE
            else:
                answer = _ask(lambda request=request: probe.run(namespace, request), limits, budget_ends)
                if isinstance(answer, Failure) and answer.error == "Timeout":
                    hung.add(key[0])
                # as plain data, the way an answer crosses the child's pipe
                answers[key] = protocol.decode(protocol.encode(answer, 0))[1]
    return ProbeRun(answers, None, [str(note) for note in notes], _texts(stdout, stderr, limits))


def _ask(work, limits, budget_ends, importing=False):
    """work()'s result, or the Failure the child would have answered (Timeout when stopped)."""
    case_ends = clock() + limits.case_seconds
    deadline = min(case_ends, budget_ends)
    try:
        with stopped_at(deadline):
            return work()
    except Stopped:
        if deadline < case_ends:
            return Failure("Timeout", f"stopped: the submission used up its {limits.submission_seconds:g} s", None)
        what = "importing the submission" if importing else "this case"
        return Failure("Timeout", f"{what} took longer than {limits.case_seconds:g} s (infinite loop?) and was stopped",
                       None)
    except BaseException as error:  # what the student's code raised, as the child reports it
        return probe.failure_of(error, limits.memory_mb)


@contextlib.contextmanager
def stopped_at(deadline):
    """Raise Stopped in whatever Python code runs here once the clock passes `deadline`."""
    countdown = 1  # the first line reads the clock: a deadline already past stops at once

    def trace(frame, event, arg):
        nonlocal countdown
        countdown -= 1
        if not countdown:
            countdown = LINES_PER_READING
            if clock() > deadline:
                raise Stopped
        return trace

    previous = sys.gettrace()
    sys.settrace(trace)
    try:
        yield
    finally:
        sys.settrace(previous)


@contextlib.contextmanager
def guarded_imports(folder):
    """The probe's import state in `folder` for the duration; everything put back afterwards."""
    here, path, meta_path, path_hooks = os.getcwd(), list(sys.path), list(sys.meta_path), list(sys.path_hooks)
    modules = dict(sys.modules)
    students = [name for name, module in modules.items() if _lives_in(module, here)]
    try:
        os.chdir(folder)
        sys.path.insert(0, os.getcwd())
        for name in {*students, *(name for name in modules if name.startswith("coursekit."))}:
            del sys.modules[name]
        sys.modules["coursekit"] = probe.drawing_only_coursekit()
        sys.meta_path.insert(0, probe.RefuseCoursekitModules())
        yield
    finally:
        os.chdir(here)
        sys.path[:], sys.meta_path[:], sys.path_hooks[:] = path, meta_path, path_hooks
        sys.path_importer_cache.clear()
        sys.modules.clear()
        sys.modules.update(modules)


def _lives_in(module, folder):
    """A module imported from the student's folder (their value.py), not the standard library's."""
    file = getattr(module, "__file__", None) or ""
    return file.startswith(folder.rstrip(os.sep) + os.sep)


def _texts(stdout, stderr, limits):
    """What was printed, kept and cut as the sandbox keeps and cuts the child's output."""
    output = Output(limits.output_kb * 1024)
    for stream, buffer in (("stdout", stdout), ("stderr", stderr)):
        output.add(stream, buffer.getvalue().encode())
    return output.texts()
