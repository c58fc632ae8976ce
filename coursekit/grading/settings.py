"""Reading the settings of one test of a rubric: what every kind of check shares.

A problem with one setting is a TestProblem naming its key, so that coursekit.grading.rubric can
report the file and the line of that key; the test is then marked broken (validation lists every
broken test, and grading refuses the rubric: a test left out would shrink the grade).
"""

from dataclasses import dataclass
from pathlib import Path

# Every key a test's table may hold besides its inputs (the domains of a target's names).
SETTINGS = {"points", "visibility", "enabled", "cases", "show_inputs", "target", "setup", "wrt", "reference",
            "check", "examples", "boundaries", "mistakes", "errors", "tolerance"}


class RubricError(ValueError):
    """The rubric file is missing or says something we cannot use."""


class TestProblem(RubricError):
    """A setting of one test cannot be used; `key` is the setting, for the line number."""

    def __init__(self, message, key=None):
        super().__init__(message)
        self.key = key


def shown_path(path):
    """A rubric's file as messages name it: relative to the current folder when inside it, else its
    last three parts (autograder/ch2/rubric.toml), never the grading machine's absolute path."""
    path = Path(path)
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return Path(*path.resolve().parts[-3:]).as_posix()



def summary(problems):
    """One line for a list of problems: the first, and how many more there are."""
    more = f" (and {len(problems) - 1} more; `coursekit assign --validate` lists them)" if len(problems) > 1 else ""
    return problems[0] + more

def read_boolean(where, value):
    if not isinstance(value, bool):
        raise TestProblem(f"{where} must be true or false")
    return value


def read_domain(key, value):
    """[low, high] | [[low, high], ...] (a union) | {choices = [...]} | {size = N or [lo, hi], each = DOMAIN}."""
    if isinstance(value, dict) and set(value) == {"choices"} and isinstance(value["choices"], list) and value["choices"]:
        return ("choices", list(value["choices"]))
    if isinstance(value, dict) and set(value) == {"size", "each"}:
        size = value["size"]
        size = [size, size] if isinstance(size, int) else size
        whole = isinstance(size, list) and len(size) == 2 and all(isinstance(n, int) and n >= 0 for n in size)
        if not (whole and size[0] <= size[1]):
            raise TestProblem(f"{key}: size must be a whole number or [low, high]", key)
        return ("list", tuple(size), read_domain(key, value["each"]))
    intervals = value if isinstance(value, list) and value and isinstance(value[0], list) else [value]
    if not all(isinstance(iv, list) and len(iv) == 2 and all(isinstance(x, (int, float)) for x in iv) and iv[0] <= iv[1]
               for iv in intervals):
        raise TestProblem(f"{key} must be [low, high], a list of them, {{choices = [...]}} or {{size = N, each = ...}}", key)
    return ("intervals", [tuple(iv) for iv in intervals])


@dataclass(frozen=True)
class FixedCase:
    target: int            # index into the test's targets
    inputs: dict           # name -> numbers (for backward tests: the shape's name under "shape")
    label: str = ""        # how it is shown when public ("" : computed from the inputs)
    expected: str = ""     # the answer as JSON, frozen into public tests ("" : computed by the reference)
