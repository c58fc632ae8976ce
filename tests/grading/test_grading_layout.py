"""The grader's modules in the order data flows through them: none imports one further down the line."""

import ast
from pathlib import Path

import pytest

GRADING = Path(__file__).resolve().parents[2] / "coursekit" / "grading"
# Each step may import its own and earlier steps, never a later one.
LINE = (
    ("protocol", "explain", "settings", "targets"),        # the words every step speaks
    ("probe", "reference", "cases", "checks", "rubric"),   # read the rubric, draw the plan
    ("load", "live", "places", "finder"),                   # the submission: files, or a kernel's cells
    ("stage",),
    ("reaper", "sandbox", "in_process"),                    # run the child (in a browser kernel: here)
    ("hints", "judgement"),                                 # judge each case once
    ("score",),
    ("grade_report", "report"),
    ("pictures", "feedback"),
    ("__init__", "classroom", "public", "gradescope", "magic", "similarity"),  # around the line
    ("adjustments", "replay"),                              # after a class run
)
STEP = {name: number for number, names in enumerate(LINE) for name in names}


def grading_imports(path):
    """The coursekit.grading modules a file imports, anywhere in it ("__init__" for the package's names)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {_module(alias.name) for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module == "coursekit.grading":
            found |= {alias.name if alias.name in STEP else "__init__" for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(_module(node.module))
    return found - {None}


def _module(name):
    parts = name.split(".")
    if parts[:2] != ["coursekit", "grading"]:
        return None
    return parts[2] if len(parts) > 2 else "__init__"


def step_of(path):
    return STEP["checks" if path.parent.name == "checks" else path.stem]


MODULES = sorted(GRADING.rglob("*.py"))


def test_every_module_has_its_place_on_the_line():
    assert all(path.stem in STEP or path.parent.name == "checks" for path in MODULES)


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.relative_to(GRADING).as_posix())
def test_no_module_imports_one_further_down_the_line(path):
    later = sorted(name for name in grading_imports(path) if STEP[name] > step_of(path))
    assert not later, f"{path.name} imports {later}, which come after it"
