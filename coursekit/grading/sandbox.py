"""Step 3: run the probe in a child process under limits and collect its answers.

The child is `python -I -S -B -u` (no site-packages, no environment variables, no user folders
on its path; unbuffered, so what it printed before being killed is not lost) started in the
staged folder, in a session of its own, with a nearly empty environment.
Its answers come back over a private pipe, each tagged with its request's random id; stdout and
stderr are captured apart and truncated.
Time is enforced from here: a case that runs past its limit, or a submission past its budget,
gets the child's whole process group killed with SIGKILL (an alarm inside could be swallowed).
A child that dies or is killed is replaced by a fresh one for the remaining cases.
"""

import json
import os
import secrets
import selectors
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from coursekit.grading import reaper

PROBE = Path(__file__).with_name("probe.py").read_text(encoding="utf-8")
FILE_LIMIT_MB = 16     # files the submission may write in its folder
MAX_ANSWER = 1 << 22   # bytes pending on the pipe; our answers are small, more is the submission flooding it
DRAIN_SECONDS = 0.2
MAX_NOTES = 20         # failed notebook cells listed in the report
TIMED_OUT_BEFORE = {"error": "Timeout", "message": "not run: this test timed out in an earlier case"}
EXIT_REASONS = {
    signal.SIGSEGV: "crashed (segmentation fault)",
    signal.SIGABRT: "aborted",
    signal.SIGKILL: "was killed (SIGKILL; out of memory?)",
    signal.SIGXFSZ: f"wrote a file larger than {FILE_LIMIT_MB} MB",
}


@dataclass
class ProbeRun:
    answers: list            # one per request: the child's answer, or an error written here
    failure: str | None      # why no request could be run (the submission cannot be imported)
    notes: list              # notebook cells that failed (the rest still graded)
    output: dict = field(default_factory=dict)  # "stdout"/"stderr" -> text, truncated


def run_probe(folder, code, requests, limits, needs=()):
    """Run `requests` ((test, request) pairs) in a sandboxed child started in `folder`.

    `code` says where the targets live ("module:NAME" or "notebook:FILE"), `needs` the names that
    must be defined there for anything to be graded (the Value class). After a case of a test
    times out, the rest of that test's cases are not run: each would only time out again.
    """
    output = Output(limits.output_kb * 1024)
    budget_ends = time.monotonic() + limits.submission_seconds
    answers, notes, child, hung = [], [], None, set()
    with reaper.adopting_orphans():
        try:
            for test, request in requests:
                if time.monotonic() >= budget_ends:
                    answers.append(_out_of_time(limits))
                    continue
                if test in hung:
                    answers.append(dict(TIMED_OUT_BEFORE))
                    continue
                if child is None:
                    child = Child(folder, code, limits, output)
                    greeting = child.ask({"kind": "hello", "needs": list(needs)}, budget_ends)
                    if "ready" not in greeting:
                        child = child.close()
                        if not answers:  # the import itself fails: nothing can be graded
                            return ProbeRun([], describe_failure(greeting), notes, output.texts())
                        answers.append(greeting)
                        continue
                    notes = notes or _notes(greeting)
                answer = child.ask(request, budget_ends)
                if answer.get("lost"):
                    child = child.close()
                if answer.get("error") == "Timeout":
                    hung.add(test)
                answers.append(answer)
        finally:
            if child is not None:
                child.close()
    return ProbeRun(answers, None, notes, output.texts())


def describe_failure(answer):
    """An error answer of the child in one line: "message (value.py, line 3)"."""
    where = f" ({answer['where']})" if answer.get("where") else ""
    return f"{answer.get('message')}{where}"


def _out_of_time(limits):
    return {"error": "Timeout", "message": f"not run: the submission used up its {limits.submission_seconds:g} s"}


class Child:
    """One probe process: ask() it a request at a time; close() kills it and all it started."""

    def __init__(self, folder, code, limits, output):
        self.limits, self.output = limits, output
        requests_read, self.requests = os.pipe()
        self.answers, answers_write = os.pipe()
        command = [
            sys.executable, "-I", "-S", "-B", "-u", "-c", PROBE, str(requests_read), str(answers_write),
            str(limits.memory_mb), str(FILE_LIMIT_MB), code,
        ]
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
            os.write(self.requests, (json.dumps({**request, "id": request_id}) + "\n").encode())
        except BrokenPipeError:
            return self._lost()
        while True:
            while b"\n" in self.pending:
                line, self.pending = self.pending.split(b"\n", 1)
                answer = _parse(line)
                if answer.pop("id", None) == request_id:
                    return answer
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return self._timed_out(budget_ran_out=deadline < case_ends, importing=request["kind"] == "hello")
            for key, _ in self.selector.select(remaining):
                chunk = os.read(key.fd, 1 << 16)
                if key.data != "answers":
                    self._keep_output(key, chunk)
                elif not chunk:
                    return self._lost()
                else:
                    self.pending += chunk
                    if len(self.pending) > MAX_ANSWER:
                        return {"error": "Garbled", "message": "the grader's channel was flooded", "lost": True}

    def _keep_output(self, key, chunk):
        if chunk:
            self.output.add(key.data, chunk)
        else:
            self.selector.unregister(key.fileobj)

    def _timed_out(self, budget_ran_out, importing):
        what = "importing the submission" if importing else "this case"
        if budget_ran_out:
            message = f"stopped: the submission used up its {self.limits.submission_seconds:g} s"
        else:
            message = f"{what} took longer than {self.limits.case_seconds:g} s (infinite loop?) and was stopped"
        return {"error": "Timeout", "message": message, "lost": True}

    def _lost(self):
        """The child closed our pipe: it exited or crashed (os._exit, a segfault, the OOM killer)."""
        try:
            code = self.process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            return {"error": "Crash", "message": "the process closed the grader's channel", "lost": True}
        if code < 0:
            reason = EXIT_REASONS.get(-code, f"was killed by {signal.Signals(-code).name}")
        else:
            reason = f"exited with code {code} without answering (os._exit?)"
        return {"error": "Crash", "message": f"the process {reason}", "lost": True}

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


def _notes(greeting):
    notes = greeting.get("notes")
    return [str(note) for note in notes][:MAX_NOTES] if isinstance(notes, list) else []


def _parse(line):
    try:
        answer = json.loads(line)
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


def _environment(folder):
    return {"PATH": os.defpath, "HOME": str(folder), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
