"""Helpers for the autograder's tests: real submission folders built from the course solution,
and rubrics for value.py drawn from the course's own (chapters 1, 2 and 4)."""

import re
import textwrap
from pathlib import Path

import tomllib

from coursekit.grading.public import toml_value

REPO = Path(__file__).resolve().parents[2]
SOLUTION = (REPO / "solutions" / "value.py").read_text()
EXERCISE = REPO / "exercises"
HIDDEN_TESTS = REPO / "autograder"
VALUE_ASSIGNMENTS = ("ch1", "ch2", "ch4")  # the chapters whose tests grade value.py

# One fixed example per op: the fastest rubric that still exercises every test.
TINY_EXAMPLES = {
    "add": "Value(2.0) + Value(-3.0)", "mul": "Value(2.0) * Value(-3.0)", "pow": "Value(3.0) ** 2",
    "log": "Value(2.0).log()", "exp": "Value(1.0).exp()", "relu": "Value(3.0).relu()", "neg": "-Value(2.0)",
    "sub": "4 - Value(1.5)", "div": "3 / Value(2.0)", "backward": "diamond",
}
TEST_NAMES = tuple(TINY_EXAMPLES)


def value_rubric(limits=None, **change):
    """The ten value.py tests of the course in one rubric; `change(name, test)` edits each test."""
    raw = {"seed": 7, "limits": limits or {}, "tests": {}}
    for assignment in VALUE_ASSIGNMENTS:
        course = tomllib.loads((HIDDEN_TESTS / assignment / "rubric.toml").read_text())
        raw.setdefault("errors", course.get("errors", []))
        raw["tests"].update({name: test for name, test in course["tests"].items() if name in TINY_EXAMPLES})
    for name, test in raw["tests"].items():
        for edit in change.values():
            edit(name, test)
    return dump_rubric(raw)


def only_examples(name, test):
    test.update(examples=[TINY_EXAMPLES[name]], boundaries=[], cases=0)


def only_boundaries(name, test):
    test.update(examples=[], cases=0, show_inputs=name == "backward")
    if name == "backward":
        test["chain"] = 3000


def dump_rubric(raw):
    """A rubric dict as TOML text (tables of tests, everything else inline)."""
    lines = [f"{key} = {toml_value(value)}" for key, value in raw.items() if not isinstance(value, dict)]
    for key, value in raw.items():
        if isinstance(value, dict) and key != "tests":
            lines += [f"[{key}]", *(f"{k} = {toml_value(v)}" for k, v in value.items())]
    for name, test in raw.get("tests", {}).items():
        lines += [f"[tests.{name}]", *(f"{k} = {toml_value(v)}" for k, v in test.items())]
    return "\n".join(lines) + "\n"


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


def without_fixed_cases(text, test):
    """A rubric's text with the examples and boundaries of [tests.TEST] emptied (each list may span lines)."""
    section = text.index(f"[tests.{test}]\n")
    end = text.find("\n[", section + 1)
    end = len(text) if end < 0 else end
    for key in ("examples", "boundaries"):
        start = text.find(f"\n{key} = [", section, end)
        if start < 0:
            continue
        depth, i = 0, start + len(f"\n{key} = ")
        while depth or i == start + len(f"\n{key} = "):
            depth += {"[": 1, "]": -1}.get(text[i], 0)
            i += 1
        text = text[:start] + f"\n{key} = []" + text[i:]
        end = text.find("\n[", section + 1)
        end = len(text) if end < 0 else end
    return text
