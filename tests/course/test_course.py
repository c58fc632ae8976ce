"""The course itself: the checked-in exercises are generated, and every chapter runs in a real kernel."""

import importlib.util
import re
from pathlib import Path

import nbformat
import pytest
import tomllib

from coursekit.course.assign import out_of_date
from coursekit.course.kernel import first_exercise_cell, run_notebook
from coursekit.course.markers import SOLUTION, find_regions

ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS, EXERCISES = ROOT / "solutions", ROOT / "exercises"
CHAPTERS = sorted(path.name for path in SOLUTIONS.glob("ch*.ipynb"))
# What the student implements in value.py, as (call, method that must raise).
STUDENT_OPS = [
    (lambda V: V(2.0) + V(3.0), "__add__"), (lambda V: 1 + V(3.0), "__radd__"),
    (lambda V: V(2.0) * V(3.0), "__mul__"), (lambda V: 2 * V(3.0), "__rmul__"),
    (lambda V: V(2.0) ** 2, "__pow__"), (lambda V: V(2.0).log(), "log"), (lambda V: V(2.0).exp(), "exp"),
    (lambda V: V(2.0).relu(), "relu"), (lambda V: -V(2.0), "__neg__"), (lambda V: V(2.0) - 1, "__sub__"),
    (lambda V: 1 - V(2.0), "__rsub__"), (lambda V: V(2.0) / 4, "__truediv__"),
    (lambda V: 4 / V(2.0), "__rtruediv__"), (lambda V: V(2.0).backward(), "backward"),
]


def load_value_class(folder):
    spec = importlib.util.spec_from_file_location(f"value_{folder.name}", folder / "value.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Value


def test_the_checked_in_exercises_are_exactly_what_assign_generates():
    assert out_of_date(SOLUTIONS, EXERCISES) == [], "run `coursekit assign` and commit exercises/"


def test_the_five_chapters_are_there_in_order():
    assert [re.match(r"ch(\d+)-", name).group(1) for name in CHAPTERS][:5] == ["1", "2", "3", "4", "5"]


@pytest.mark.parametrize("op, method", STUDENT_OPS, ids=[method for _, method in STUDENT_OPS])
def test_every_operation_is_an_exercise_in_value_py(op, method):
    solved, stub = load_value_class(SOLUTIONS), load_value_class(EXERCISES)
    op(solved)
    with pytest.raises(NotImplementedError) as caught:
        op(stub)
    assert caught.traceback[-1].name == method


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_structure(chapter):
    nb = nbformat.read(SOLUTIONS / chapter, as_version=4)
    code = [cell.source for cell in nb.cells if cell.cell_type == "code"]
    assert any(source.startswith("%%trace") for source in code), "every chapter draws with %%trace"
    assert any("from value import Value" in source for source in code), "every chapter uses the student's Value"
    assert code[-1].strip() == f"%check --assignment {chapter[:3]}", "every chapter ends with its check, run in the kernel"
    assert first_exercise_cell(nb) is not None, "a cell tagged `exercise` marks where the student's work runs"
    assert any(region.kind == SOLUTION for source in code for region in find_regions(source, chapter))


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_solution_notebook_runs_top_to_bottom_and_its_check_prints_the_score_and_nothing_else(chapter):
    run = run_notebook(SOLUTIONS / chapter)
    assert run.error is None, f"cell {run.failed_cell}: {run.error}: {run.message}"
    [output] = run.notebook.cells[-1].outputs  # the report as text: no picture, no warning
    header, *table, total = output["text"].splitlines()
    graded = "value.py as saved at" if _code_file(chapter) == "value.py" else f"{chapter} as run in this kernel, value.py as saved at"
    assert re.fullmatch(rf"{re.escape(graded)} \d\d:\d\d: assignment {chapter[:3]} \(\S+/public-tests/{chapter[:3]}/rubric.toml\)", header)
    assert table[0].split() == ["test", "┃", "cases", "┃", "points", "┃"] and set(table[1]) == {"━", "╇"}
    rows = [row.split("│") for row in table[2:]]
    assert rows and all(mark.split() in (["✓"], ["practice", "✓"]) for *_, mark in rows), table
    assert all(_full(cases) and (_full(points) or points.strip() == "-") for _, cases, points, _ in rows), table
    assert re.fullmatch(r"Total: (\d+) / \1", total)
    traced = [cell for cell in run.notebook.cells if cell.source.startswith("%%trace")]
    assert all(any("image/svg+xml" in output.get("data", {}) or "text/html" in output.get("data", {})
                   for output in cell.outputs) for cell in traced), "every %%trace cell shows a graph"


def _full(fraction):
    got, _, most = fraction.strip().partition("/")
    return got == most


def _code_file(chapter):
    return tomllib.loads((ROOT / "autograder" / chapter[:3] / "rubric.toml").read_text())["code"]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_exercise_notebook_stops_at_its_first_exercise_with_not_implemented(chapter):
    run = run_notebook(EXERCISES / chapter)
    first = first_exercise_cell(run.notebook)
    assert (run.failed_cell, run.error) == (first, "NotImplementedError"), run.message
