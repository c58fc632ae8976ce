"""Python source to an ast tree, one parse at a time in this process.

The grader parses on several threads at once (a class run grades students in a thread pool, the
mutation score grades the solution's variants in one). On CPython 3.11 before 3.11.8 and 3.12
before 3.12.2, two threads building ast trees at once can share one recursion counter: when a
garbage collection runs Python code (a finalizer) in the middle of one parse and the other thread
parses meanwhile, `ast.parse` raises "SystemError: AST constructor recursion depth mismatch"
(python/cpython#106905). A student's grade must never fail on that, so every parse in coursekit
goes through this lock; `tests/test_syntax.py` holds the package to it. The sandboxed child
(grading/probe.py and the modules it takes along, sandbox.CHILD_MODULES) parses on its own,
single-threaded.
"""

import ast
import threading

_ONE_AT_A_TIME = threading.RLock()  # re-entrant: a finalizer run mid-parse may parse on the same thread


def parse(source, filename="<unknown>", mode="exec"):
    """ast.parse(source, filename, mode), never while another thread of this process parses here."""
    with _ONE_AT_A_TIME:
        return ast.parse(source, filename, mode)
