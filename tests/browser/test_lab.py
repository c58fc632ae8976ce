"""`%%trace` in JupyterLab, as a person uses it: run the cells, look, click."""

import re

import pytest
from playwright.sync_api import expect

from .graph_view import (
    check_stepper,
    expect_picture_drawn,
    expect_values,
    fits_width,
    scroll_bottom_into_view,
    svg_source,
    svg_texts,
)
from .lab_page import NotebookInLab
from .notebooks import TEXTBOOK, cell_index


@pytest.fixture(scope="module")
def tour(module_page, lab):
    """The tour notebook, every cell run once from the top, as a person would with Shift+Enter."""
    tour = NotebookInLab(module_page, lab, "tour.ipynb").open()
    tour.run_cells_through(cell_index("after big"))
    return tour


def test_textbook_graph_shows_names_data_and_grads(tour, artifacts):
    index = cell_index("graph")
    output = tour.output(index)
    expect_picture_drawn(output)
    expect_values(svg_source(output), TEXTBOOK)
    tour.cell(index).screenshot(path=artifacts / "lab-textbook-graph.png")


@pytest.mark.xfail(strict=True, reason="JupyterLab shows image/svg+xml as an <img> at its natural size, "
                   "wider than the notebook: the right end of the graph (L) needs sideways scrolling")
def test_textbook_graph_fits_the_notebook_width(tour):
    index = cell_index("graph")
    expect_picture_drawn(tour.output(index))
    assert fits_width(tour.output(index))


def test_stepper_walks_the_backward_pass(tour, artifacts):
    index = cell_index("steps")
    output = tour.output(index)
    check_stepper(output, TEXTBOOK)
    tour.cell(index).screenshot(path=artifacts / "lab-stepper-end.png")


def test_big_graph_is_folded_with_a_note_and_the_page_stays_usable(tour, artifacts):
    big, after = cell_index("big"), cell_index("after big")
    output = tour.output(big)
    expect_picture_drawn(output)
    note = " ".join(svg_texts(svg_source(output)))
    assert re.search(r"This graph has [\d,]+ values, more than --max-nodes [\d,]+, so it is folded", note), note
    assert "To see it all" in note
    expect(tour.output(after)).to_have_text("still responsive: 20")  # the kernel came back
    assert scroll_bottom_into_view(output), "the note under the folded graph cannot be scrolled into view"
    tour.page.screenshot(path=artifacts / "lab-big-graph-note.png")
