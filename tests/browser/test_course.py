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


@pytest.mark.parametrize("folder", ["solutions", "exercises"])
def test_chapter_1_opens_on_the_textbook_graph(page, lab, folder, artifacts):
    chapter = open_chapter(page, lab, folder, CHAPTER_1)
    index = find_cell(chapter.file, lambda source: source.startswith("%%trace"))
    chapter.run_cells_through(index)
    output = chapter.output(index)
    expect_picture_drawn(output)
    expect_values(svg_source(output), FORWARD)
    chapter.cell(index).screenshot(path=artifacts / f"lab-{folder}-ch1-graph.png")


@pytest.fixture(scope="module")
def chapter_4(module_page, lab):
    """Chapter 4 run from the top through its `--steps` cell (the `--grad` cell comes before)."""
    chapter = open_chapter(module_page, lab, "solutions", CHAPTER_4)
    chapter.run_cells_through(find_cell(chapter.file, is_steps_cell))
    return chapter


def is_grad_cell(source):
    return source.startswith("%%trace --grad") and "L = d * f" in source


def is_steps_cell(source):
    return source.startswith("%%trace --steps")


def test_chapter_4_draws_the_textbook_grads(chapter_4, artifacts):
    index = find_cell(chapter_4.file, is_grad_cell)
    output = chapter_4.output(index)
    expect_picture_drawn(output)
    expect_values(svg_source(output), TEXTBOOK)
    chapter_4.cell(index).screenshot(path=artifacts / "lab-solutions-ch4-grad.png")


def test_chapter_4_steps_through_the_diamond(chapter_4, artifacts):
    index = find_cell(chapter_4.file, is_steps_cell)
    output = chapter_4.output(index)
    check_stepper(output, DIAMOND)
    chapter_4.cell(index).screenshot(path=artifacts / "lab-solutions-ch4-steps.png")
