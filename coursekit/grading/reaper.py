"""No child survives grading: adopt the processes a submission leaves behind, and kill them.

Killing the sandbox's process group stops everything that stayed in it, but a submission can
escape the group (fork twice, call setsid). While grading runs, this process is a Linux "child
subreaper" (prctl), so such orphans are re-parented to us instead of to init; after each
sandbox we kill and reap every child of ours that started after that sandbox and is not itself
a live sandbox. RLIMIT_NPROC (set in the child) already stops non-root submissions from forking;
this covers root, which that limit does not bind. Without Linux's /proc and prctl (macOS) only
the process group is killed.
"""

import ctypes
import os
import signal
import threading
from contextlib import contextmanager

PR_SET_CHILD_SUBREAPER = 36
SWEEPS = 50  # rounds: each one kills a generation that was re-parented to us by the previous one

_lock = threading.Lock()  # held while spawning a sandbox and while sweeping, so neither sees half of the other
_sandboxes = set()
_graders = 0


@contextmanager
def adopting_orphans():
    """Be the subreaper while at least one grading (of possibly several threads) runs."""
    global _graders
    with _lock:
        if _graders == 0:
            _set_subreaper(True)
        _graders += 1
    try:
        yield
    finally:
        with _lock:
            _graders -= 1
            if _graders == 0:
                _set_subreaper(False)


@contextmanager
def spawning_sandbox():
    """Hold the lock while starting a sandbox; call the yielded function with its pid."""
    with _lock:
        yield _sandboxes.add


def forget_sandbox(pid):
    with _lock:
        _sandboxes.discard(pid)


def kill_orphans(started):
    """Kill and reap our children that started at or after `started` (a start_time) and are not sandboxes."""
    for _ in range(SWEEPS):
        with _lock:
            orphans = [pid for pid, start in _our_children() if start >= started and pid not in _sandboxes]
            for pid in orphans:
                _kill(pid)
        if not orphans:
            return
        for pid in orphans:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass


def start_time(pid):
    """When the process started, in clock ticks since boot (now, if it is already gone)."""
    fields = _stat_fields(pid)
    if fields:
        return int(fields[19])
    try:
        with open("/proc/uptime") as file:
            return int(float(file.read().split()[0]) * os.sysconf("SC_CLK_TCK"))
    except OSError:
        return 0  # no /proc: _our_children() finds nothing anyway


def _our_children():
    me = os.getpid()
    try:
        entries = os.listdir("/proc")
    except OSError:
        return
    for name in entries:
        if name.isdigit():
            fields = _stat_fields(name)
            if fields and int(fields[1]) == me:
                yield int(name), int(fields[19])


def _stat_fields(pid):
    """Fields 3.. of /proc/PID/stat (after the command name, which may contain spaces)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as file:
            stat = file.read().decode(errors="replace")
    except OSError:
        return None
    return stat[stat.rfind(")") + 2 :].split()


def _kill(pid):
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _set_subreaper(on):
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_CHILD_SUBREAPER, int(on), 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux: the process group kill is all we have
