"""Publishing a chapter for the website: executed from the solutions, shown without them."""

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from coursekit.course.leaks import text_lines
from coursekit.course.publish import PublishError, publish_notebook, strip_executed
from coursekit.course.release import instructor_secrets

ROOT = Path(__file__).resolve().parents[2]
CHAPTER = "ch1-a-value-that-remembers.ipynb"


@pytest.fixture(scope="module")
def published():
    return publish_notebook(ROOT / "solutions" / CHAPTER)


def test_a_published_chapter_has_the_exercises_cells_and_no_solution_line(published):
    exercises = nbformat.read(ROOT / "exercises" / CHAPTER, as_version=4)
    assert [cell.source for cell in published.cells] == [cell.source for cell in exercises.cells]
    secrets = instructor_secrets(ROOT / "solutions", ROOT / "autograder", ROOT / "exercises")
    shown = text_lines(CHAPTER, nbformat.writes(published).encode("utf-8"))
    assert not [line for line in shown if line in secrets]


def test_a_published_chapter_keeps_its_pictures_and_clears_the_solution_cells(published):
    code = [cell for cell in published.cells if cell.cell_type == "code"]
    stubs = [cell for cell in code if "raise NotImplementedError()" in cell.source]
    assert stubs and all(cell.outputs == [] and cell.execution_count is None for cell in stubs)
    traced = [cell for cell in code if cell.source.startswith("%%trace")]
    assert traced and all(any('class="ck-picture"' in out.get("data", {}).get("text/html", "") for out in cell.outputs)
                          for cell in traced)  # %%trace's picture: the SVG inside its pan-and-zoom view


def notebook_with(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    return nb


def executed_cell(source, text):
    cell = nbformat.v4.new_code_cell(source, execution_count=1)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
    cell.metadata["execution"] = {"iopub.status.idle": "2026-01-01T00:00:00Z"}
    return cell


def test_strip_executed_clears_only_the_cells_that_held_a_region():
    nb = notebook_with(
        executed_cell("def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION\n", "secret 42"),
        executed_cell("print(double(21))", "42"),
        executed_cell("assert double(1) == 2\n### BEGIN HIDDEN TESTS\nassert double(5) == 10\n### END HIDDEN TESTS", "ok"),
        nbformat.v4.new_markdown_cell("Why?\n### BEGIN SOLUTION\nBecause.\n### END SOLUTION"),
    )
    strip_executed(nb, "test.ipynb")
    solution, kept, hidden, prose = nb.cells
    assert "return 2 * x" not in solution.source and "raise NotImplementedError()" in solution.source
    assert solution.outputs == [] and solution.execution_count is None
    assert kept.outputs[0].text == "42" and kept.execution_count == 1
    assert hidden.source == "assert double(1) == 2" and hidden.outputs == []
    assert prose.source == "Why?\nYOUR ANSWER HERE"
    assert all("execution" not in cell.metadata for cell in nb.cells)


def test_a_notebook_that_fails_is_not_published(tmp_path):
    broken = tmp_path / "broken.ipynb"
    nbformat.write(notebook_with(nbformat.v4.new_code_cell("1 / 0")), broken)
    with pytest.raises(PublishError, match=r"broken.ipynb: cell 1 raised ZeroDivisionError"):
        publish_notebook(broken)


def test_the_module_command_writes_the_page_and_exits_2_on_bad_usage(tmp_path):
    source = tmp_path / "tiny.ipynb"
    nbformat.write(notebook_with(nbformat.v4.new_code_cell("print(6 * 7)")), source)
    target = tmp_path / "out" / "tiny.ipynb"
    command = [sys.executable, "-m", "coursekit.course.publish"]
    done = subprocess.run([*command, str(source), str(target)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert nbformat.read(target, as_version=4).cells[0].outputs[0].text == "42\n"
    usage = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert usage.returncode == 2 and "usage:" in usage.stderr
