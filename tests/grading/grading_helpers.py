"""Helpers for the autograder's tests: real submission folders built from the course solution."""

import re
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SOLUTION = (REPO / "solutions" / "value.py").read_text()
EXERCISE = REPO / "exercises"
HIDDEN_TESTS = REPO / "autograder"

# One fixed example per op: the fastest rubric that still exercises every test.
TINY_EXAMPLES = {
    "add": "Value(2.0) + Value(-3.0)", "mul": "Value(2.0) * Value(-3.0)", "pow": "Value(3.0) ** 2",
    "log": "Value(2.0).log()", "exp": "Value(1.0).exp()", "relu": "Value(3.0).relu()", "neg": "-Value(2.0)",
    "sub": "4 - Value(1.5)", "div": "3 / Value(2.0)", "backward": "diamond",
}
POINTS = {"add": 10, "mul": 10, "pow": 10, "log": 5, "exp": 5, "relu": 5, "neg": 5, "sub": 10, "div": 10, "backward": 30}
TINY_RUBRIC = """
[limits]
case_seconds = {case_seconds}
submission_seconds = 60
memory_mb = 512
output_kb = 4
""" + "".join(f'[tests.{name}]\npoints = {POINTS[name]}\nexamples = ["{example}"]\n' for name, example in TINY_EXAMPLES.items())

# Every boundary case of every op, no random ones, and a chain a recursive walk cannot climb.
BOUNDARY_RUBRIC = """
[limits]
case_seconds = 20
[tests.backward]
points = 30
boundaries = true
show_inputs = true
chain = 3000
""" + "".join(f"[tests.{name}]\npoints = {POINTS[name]}\nboundaries = true\n" for name in TINY_EXAMPLES if name != "backward")


def solution_with(prelude="", **bodies):
    """The course solution with some method bodies replaced and code run at import time."""
    text = SOLUTION
    for method, body in bodies.items():
        pattern = rf"(    def {method}\(.*?\):\n)        ### BEGIN SOLUTION\n.*?        ### END SOLUTION\n"
        replacement = textwrap.indent(textwrap.dedent(body).strip() + "\n", " " * 8)
        text, count = re.subn(pattern, lambda match, replacement=replacement: match[1] + replacement, text, flags=re.S)
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
