"""Helpers for the autograder's tests: real submission folders built from the course solution."""

import re
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SOLUTION = (REPO / "solutions" / "value.py").read_text()
EXERCISE = REPO / "exercises"
HIDDEN_TESTS = REPO / "autograder"

# One fixed example per op: the fastest rubric that still exercises every test.
TINY_RUBRIC = """
[limits]
case_seconds = {case_seconds}
submission_seconds = 60
memory_mb = 512
output_kb = 4

[tests.add]
points = 10
examples = ["Value(2.0) + Value(-3.0)"]
[tests.mul]
points = 10
examples = ["Value(2.0) * Value(-3.0)"]
[tests.pow]
points = 10
examples = ["Value(3.0) ** 2"]
[tests.log]
points = 5
examples = ["Value(2.0).log()"]
[tests.exp]
points = 5
examples = ["Value(1.0).exp()"]
[tests.relu]
points = 5
examples = ["Value(3.0).relu()"]
[tests.neg]
points = 5
examples = ["-Value(2.0)"]
[tests.sub]
points = 10
examples = ["4 - Value(1.5)"]
[tests.div]
points = 10
examples = ["3 / Value(2.0)"]
[tests.backward]
points = 30
examples = ["diamond"]
"""

# Every boundary case of every op, no random ones, and a chain a recursive walk cannot climb.
BOUNDARY_RUBRIC = """
[limits]
case_seconds = 20
[tests.backward]
points = 30
boundaries = true
show_inputs = true
chain = 3000
""" + "".join(f"[tests.{name}]\npoints = 10\nboundaries = true\n" for name in ("add", "mul", "pow", "log", "exp", "relu", "neg", "sub", "div"))


def solution_with(prelude="", **bodies):
    """The course solution with some method bodies replaced and code run at import time."""
    text = SOLUTION
    for method, body in bodies.items():
        pattern = rf"(    def {method}\(.*?\):\n)        ### BEGIN SOLUTION\n.*?        ### END SOLUTION\n"
        replacement = textwrap.indent(textwrap.dedent(body).strip() + "\n", " " * 8)
        text, count = re.subn(pattern, lambda match: match[1] + replacement, text, flags=re.S)
        assert count == 1, method
    return text.replace("import math\n", "import math\n" + textwrap.dedent(prelude), 1)


def scores(report):
    return {test.name: test.score for test in report.tests}


def failures(report, name):
    """Every problem and hint text of one test, as one string to search in."""
    test = next(test for test in report.tests if test.name == name)
    return "\n".join(f"{result.problem} | {result.hint}" for result in test.failures)


def full_marks_except(report, *names):
    """Every test other than `names` got all its points."""
    return all(test.score == test.max_score for test in report.tests if test.name not in names)
