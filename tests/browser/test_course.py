"""The course notebooks in JupyterLab: the graphs a student meets in chapters 1 and 4."""

import pytest

from .graph_view import check_stepper, expect_picture_drawn, expect_values, svg_source
from .lab_page import NotebookInLab
from .notebooks import DIAMOND, FORWARD, TEXTBOOK, find_cell


def open_chapter(page, lab, folder, number):
    """Open chapter `number` (`chN-*.ipynb`) of the course copy; skip while there is no course."""
    chapters = sorted((lab.root / folder).glob("ch*.ipynb"))
    if not chapters:
        pytest.skip(f"no course notebooks in {folder}/ in this checkout")
    wanted = [path for path in chapters if path.name.startswith(f"ch{number}-")]
    assert wanted, f"{folder}/ has no chapter {number}: {[path.name for path in chapters]}"
    return NotebookInLab(page, lab, wanted[0].relative_to(lab.root).as_posix()).open()


@pytest.mark.parametrize("folder", ["solutions", "exercises"])
def test_chapter_1_opens_on_the_textbook_graph(page, lab, folder, artifacts):
    chapter = open_chapter(page, lab, folder, 1)
    index = find_cell(chapter.file, lambda source: source.startswith("%%trace"))
    chapter.run_cells_through(index)
    output = chapter.output(index)
    expect_picture_drawn(output)
    expect_values(svg_source(output), FORWARD)
    chapter.cell(index).screenshot(path=artifacts / f"lab-{folder}-ch1-graph.png")


@pytest.fixture(scope="module")
def chapter_4(module_page, lab):
    """Chapter 4 run from the top through its `--steps` cell (the `--grad` cell comes before)."""
    chapter = open_chapter(module_page, lab, "solutions", 4)
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
