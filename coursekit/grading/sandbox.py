"""Step 3: run the probe in a child process under limits and collect its answers.

The child is `python -I -S -B -u` (no site-packages, no environment variables, no user folders
on its path; unbuffered, so what it printed before being killed is not lost) started in the
staged folder, in a session of its own, with a nearly empty environment.
The messages (coursekit.grading.protocol) travel over two private pipes, each answer tagged with
its request's random id; stdout and stderr are captured apart and truncated. Answers are handed
back keyed by case, as the requests were given.
Time is enforced from here: a case that runs past its limit, or a submission past its budget,
gets the child's whole process group killed with SIGKILL (an alarm inside could be swallowed).
A child that dies or is killed is replaced by a fresh one for the remaining cases.
"""

import base64
import marshal
import os
import secrets
import selectors
import signal
import subprocess
import sys
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from coursekit.grading import protocol, reaper
from coursekit.grading.protocol import Failure

FILE_LIMIT_MB = 16     # files the submission may write in its folder
MAX_ANSWER = 1 << 22   # bytes pending on the pipe; our answers are small, more is the submission flooding it
DRAIN_SECONDS = 0.2
MAX_NOTES = 20         # failed notebook cells listed in the report
TIMED_OUT_BEFORE = Failure("Timeout", "not run: this test timed out in an earlier case", None)
EXIT_REASONS = {
    signal.SIGSEGV: "crashed (segmentation fault)",
    signal.SIGABRT: "aborted",
    signal.SIGKILL: "was killed (SIGKILL; out of memory?)",
    signal.SIGXFSZ: f"wrote a file larger than {FILE_LIMIT_MB} MB",
}


def _child_program():
    """The child's program: the modules the probe imports, registered under their own names so that
    it imports them as it does here, then the probe (coursekit itself is not importable in the child).

    They travel compiled (marshal, zlib, base64): compiling the probe's source took a child longer
    than starting Python, and the child runs the same interpreter as this process.
    """
    files = [name.rpartition(".")[2] + ".py" for name in CHILD_MODULES] + ["probe.py"]
    codes = [compile(Path(__file__).with_name(file).read_text(encoding="utf-8"), file, "exec") for file in files]
    packed = base64.b64encode(zlib.compress(marshal.dumps(tuple(codes)), 9)).decode("ascii")
    return "".join([
        "import binascii, marshal, sys, types, zlib\n",
        f"*modules, probe = marshal.loads(zlib.decompress(binascii.a2b_base64({packed!r})))\n",
        f"for name in {('coursekit', 'coursekit.grading', *CHILD_MODULES)!r}:\n",
        "    sys.modules[name] = types.ModuleType(name)\n",
        f"for name, code in zip({CHILD_MODULES!r}, modules):\n",
        "    exec(code, sys.modules[name].__dict__)\n",
        '    setattr(sys.modules["coursekit.grading"], name.rpartition(".")[2], sys.modules[name])\n',
        'exec(probe, {"__name__": "__main__"})\n',
    ])


CHILD_MODULES = ("coursekit.grading.protocol", "coursekit.grading.explain")  # what the probe imports
CHILD_PROGRAM = _child_program()


@dataclass
class ProbeRun:
    answers: dict            # case key -> the child's answer, or a Failure (its own, or written here)
    failure: Failure | None  # why no request could be run (the submission cannot be imported)
    notes: list              # notebook cells that failed (the rest still graded)
    output: dict = field(default_factory=dict)  # "stdout"/"stderr" -> text, truncated


def run_probe(folder, entry, requests, limits, needs=()):
    """Run `requests` ({(test, case number): request}, in order) in a sandboxed child started in `folder`.

    `entry` says where the targets live ("module:NAME" or "notebook:FILE"), `needs` the names that
    must be defined there for anything to be graded (the Value class). After a case of a test
    times out, the rest of that test's cases are not run: each would only time out again.
    """
    if sys.platform == "emscripten":  # a browser kernel starts no process: the probe runs here
        from coursekit.grading.in_process import run_probe_here

        return run_probe_here(folder, entry, requests, limits, needs)
    output = Output(limits.output_kb * 1024)
    budget_ends = time.monotonic() + limits.submission_seconds
    hello = protocol.Hello(entry, list(needs), limits.memory_mb, FILE_LIMIT_MB)
    answers, notes, child, hung = {}, [], None, set()
    with reaper.adopting_orphans():
        try:
            for key, request in requests.items():
                test = key[0]
                if time.monotonic() >= budget_ends:
                    answers[key] = _out_of_time(limits)
                    continue
                if test in hung:
                    answers[key] = TIMED_OUT_BEFORE
                    continue
                if child is None:
                    child = Child(folder, limits, output)
                    greeting = child.ask(hello, budget_ends)
                    if not isinstance(greeting, protocol.Ready):
                        child = child.close()
                        if not answers:  # the import itself fails: nothing can be graded
                            return ProbeRun({}, greeting, notes, output.texts())
                        answers[key] = greeting
                        continue
                    notes = notes or [str(note) for note in greeting.notes][:MAX_NOTES]
                answer = child.ask(request, budget_ends)
                if child.lost:
                    child = child.close()
                if isinstance(answer, Failure) and answer.error == "Timeout":
                    hung.add(test)
                answers[key] = answer
        finally:
            if child is not None:
                child.close()
    return ProbeRun(answers, None, notes, output.texts())


def _out_of_time(limits):
    return Failure("Timeout", f"not run: the submission used up its {limits.submission_seconds:g} s", None)


class Child:
    """One probe process: ask() it a request at a time; close() kills it and all it started.

    `lost` turns true when the child stops answering (it timed out, crashed or flooded the pipe).
    """

    def __init__(self, folder, limits, output):
        self.limits, self.output, self.lost = limits, output, False
        requests_read, self.requests = os.pipe()
        self.answers, answers_write = os.pipe()
        command = [sys.executable, "-I", "-S", "-B", "-u", "-c", CHILD_PROGRAM, str(requests_read), str(answers_write)]
        with reaper.spawning_sandbox() as register:
            self.process = subprocess.Popen(
                command, cwd=folder, env=_environment(folder), stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                pass_fds=(requests_read, answers_write), start_new_session=True,
            )
            register(self.process.pid)
        self.started = reaper.start_time(self.process.pid)
        os.close(requests_read)
        os.close(answers_write)
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.answers, selectors.EVENT_READ, "answers")
        self.selector.register(self.process.stdout, selectors.EVENT_READ, "stdout")
        self.selector.register(self.process.stderr, selectors.EVENT_READ, "stderr")
        self.pending = b""

    def ask(self, request, budget_ends):
        """Send a request (the first is the hello, answered after the import) and wait for its answer.

        Lines on the pipe that do not carry this request's random id were written by the
        submission itself: they are skipped.
        """
        case_ends = time.monotonic() + self.limits.case_seconds
        deadline = min(case_ends, budget_ends)
        request_id = secrets.token_hex(8)
        try:
            os.write(self.requests, protocol.encode(request, request_id).encode())
        except BrokenPipeError:
            return self._lost()
        while True:
            while b"\n" in self.pending:
                line, self.pending = self.pending.split(b"\n", 1)
                answer_id, answer = _decode(line)
                if answer_id == request_id:
                    return answer
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return self._timed_out(budget_ran_out=deadline < case_ends, importing=isinstance(request, protocol.Hello))
            for key, _ in self.selector.select(remaining):
                chunk = os.read(key.fd, 1 << 16)
                if key.data != "answers":
                    self._keep_output(key, chunk)
                elif not chunk:
                    return self._lost()
                else:
                    self.pending += chunk
                    if len(self.pending) > MAX_ANSWER:
                        self.lost = True
                        return Failure("Garbled", "the grader's channel was flooded", None)

    def _keep_output(self, key, chunk):
        if chunk:
            self.output.add(key.data, chunk)
        else:
            self.selector.unregister(key.fileobj)

    def _timed_out(self, budget_ran_out, importing):
        self.lost = True
        what = "importing the submission" if importing else "this case"
        if budget_ran_out:
            message = f"stopped: the submission used up its {self.limits.submission_seconds:g} s"
        else:
            message = f"{what} took longer than {self.limits.case_seconds:g} s (infinite loop?) and was stopped"
        return Failure("Timeout", message, None)

    def _lost(self):
        """The child closed our pipe: it exited or crashed (os._exit, a segfault, the OOM killer)."""
        self.lost = True
        try:
            code = self.process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            return Failure("Crash", "the process closed the grader's channel", None)
        if code < 0:
            reason = EXIT_REASONS.get(-code, f"was killed by {signal.Signals(-code).name}")
        else:
            reason = f"exited with code {code} without answering (os._exit?)"
        return Failure("Crash", f"the process {reason}", None)

    def close(self):
        """Kill the child's process group, then anything that escaped it; collect the last output."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait()
        reaper.forget_sandbox(self.process.pid)
        reaper.kill_orphans(self.started)
        self._drain()
        self.selector.close()
        for stream in (self.process.stdout, self.process.stderr):
            stream.close()
        os.close(self.requests)
        os.close(self.answers)
        return None

    def _drain(self):
        self.selector.unregister(self.answers)
        ends = time.monotonic() + DRAIN_SECONDS
        while self.selector.get_map() and time.monotonic() < ends:
            for key, _ in self.selector.select(ends - time.monotonic()):
                self._keep_output(key, os.read(key.fd, 1 << 16))


class Output:
    """The first `limit` bytes of stdout and of stderr, and how much more there was."""

    def __init__(self, limit):
        self.limit = limit
        self.kept = {"stdout": bytearray(), "stderr": bytearray()}
        self.dropped = {"stdout": 0, "stderr": 0}

    def add(self, stream, chunk):
        room = self.limit - len(self.kept[stream])
        self.kept[stream] += chunk[:room]
        self.dropped[stream] += max(0, len(chunk) - room)

    def texts(self):
        texts = {}
        for stream, kept in self.kept.items():
            text = kept.decode("utf-8", errors="replace")
            if self.dropped[stream]:
                text += f"\n... ({self.dropped[stream]} more bytes not shown)"
            texts[stream] = text
        return texts


def _decode(line):
    """(id, message) of a line on the answers pipe; (None, None) for a line the submission wrote."""
    try:
        return protocol.decode(line)
    except protocol.Garbled:
        return None, None


def _environment(folder):
    return {"PATH": os.defpath, "HOME": str(folder), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
