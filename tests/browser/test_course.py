"""The course notebooks in JupyterLab: the graphs a student meets in chapters 1 and 4."""

import pytest

from .graph_view import check_stepper, expect_picture_drawn, expect_values, svg_source
from .lab_page import NotebookInLab
from .notebooks import DIAMOND, FORWARD, TEXTBOOK, find_cell

CHAPTER_1 = "ch1-a-value-that-remembers.ipynb"
CHAPTER_4 = "ch4-backward.ipynb"


def open_chapter(page, lab, folder, chapter):
    path = lab.root / folder / chapter
    if not path.exists():
        pytest.skip(f"{folder}/{chapter} is not in this checkout")
    return NotebookInLab(page, lab, f"{folder}/{chapter}").open()


def run_graph_cell(notebook, wanted):
    """Run the chapter from the top through the first cell `wanted` picks; its output."""
    index = find_cell(notebook.lab.root / notebook.path, wanted)
    notebook.run_cells_through(index)
    return index, notebook.output(index)


@pytest.mark.parametrize("folder", ["solutions", "exercises"])
def test_chapter_1_opens_on_the_textbook_graph(page, lab, folder, artifacts):
    chapter = open_chapter(page, lab, folder, CHAPTER_1)
    index, output = run_graph_cell(chapter, lambda source: source.startswith("%%trace"))
    expect_picture_drawn(output)
    expect_values(svg_source(output), FORWARD)
    chapter.cell(index).screenshot(path=artifacts / f"lab-{folder}-ch1-graph.png")


def test_chapter_4_draws_the_textbook_grads(page, lab, artifacts):
    chapter = open_chapter(page, lab, "solutions", CHAPTER_4)
    index, output = run_graph_cell(chapter, lambda source: source.startswith("%%trace --grad") and "L = d * f" in source)
    expect_picture_drawn(output)
    expect_values(svg_source(output), TEXTBOOK)
    chapter.cell(index).screenshot(path=artifacts / "lab-solutions-ch4-grad.png")


def test_chapter_4_steps_through_the_diamond(page, lab, artifacts):
    chapter = open_chapter(page, lab, "solutions", CHAPTER_4)
    index, output = run_graph_cell(chapter, lambda source: source.startswith("%%trace --steps"))
    check_stepper(output, DIAMOND)
    chapter.cell(index).screenshot(path=artifacts / "lab-solutions-ch4-steps.png")
