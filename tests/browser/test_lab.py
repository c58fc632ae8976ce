"""`%%trace` in JupyterLab, as a person uses it: run the cells, look, click, press keys."""

import re

import pytest
from playwright.sync_api import expect

from .graph_view import (
    READABLE_PX,
    Stepper,
    check_stepper,
    expect_picture_drawn,
    expect_readable,
    expect_values,
    svg_source,
    svg_texts,
    view_box,
    zoom,
)
from .lab_page import NotebookInLab
from .notebooks import TEXTBOOK, cell_index

WIDTHS = [1024, 1280, 1920]  # the windows students use; JupyterLab's file browser stays open
DRAWINGS = ["graph", "steps", "student", "wide", "mlp", "big"]


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


@pytest.mark.parametrize("width", WIDTHS)
def test_every_drawing_stays_readable_and_inside_its_output(tour, artifacts, width):
    tour.page.set_viewport_size({"width": width, "height": 900})
    try:
        for role in DRAWINGS:
            box = expect_readable(tour.output(cell_index(role)), role)
            if role == "wide":
                assert box["scrolls"], f"at {width} px the long chain should scroll inside its output: {box}"
        tour.cell(cell_index("wide")).screenshot(path=artifacts / f"lab-wide-{width}.png")
        tour.cell(cell_index("graph")).screenshot(path=artifacts / f"lab-textbook-{width}.png")
    finally:
        tour.page.set_viewport_size({"width": 1400, "height": 1000})


def test_a_student_class_draws_op_nodes_and_expressions(tour, artifacts):
    output = tour.output(cell_index("student"))
    expect_picture_drawn(output)
    texts = svg_texts(svg_source(output))
    assert {"a*b", "a*b + c", "(a*b + c)*f"} <= set(texts), texts  # unnamed values named by what made them
    assert texts.count("*") == 2 and texts.count("+") == 1  # op nodes inferred from the stored numbers
    assert "grad -4" in texts and "grad 6" in texts  # b and a, by hand: (a*b + c)*f
    tour.cell(cell_index("student")).screenshot(path=artifacts / "lab-student-class.png")


def test_zoom_fit_and_drag_pan_a_wide_drawing(tour, artifacts):
    output = tour.output(cell_index("wide"))
    output.locator(".ck-view").scroll_into_view_if_needed()
    start = view_box(output)
    assert start["scale"] * 11 * 4 / 3 >= READABLE_PX - 0.05 and start["scrolls"]
    scroll = output.locator(".ck-scroll").first
    assert scroll.evaluate("el => el.scrollLeft <= 2"), "it does not open on its inputs"  # the chain starts at the left
    fitted = zoom(output, "fit")
    box = view_box(output)
    assert fitted < start["scale"] and not box["scrolls"], box  # the whole chain in view, on request
    assert zoom(output, "zoom-in") > fitted
    assert zoom(output, "actual") == 1
    before = scroll.evaluate("el => el.scrollLeft")
    area = scroll.bounding_box()
    mouse = tour.page.mouse
    mouse.move(area["x"] + area["width"] * 0.2, area["y"] + area["height"] / 2)
    mouse.down()
    mouse.move(area["x"] + area["width"] * 0.8, area["y"] + area["height"] / 2, steps=5)  # drag right: see what is left
    mouse.up()
    assert scroll.evaluate("el => el.scrollLeft") < before - 100, "dragging the drawing did not pan it"
    tour.cell(cell_index("wide")).screenshot(path=artifacts / "lab-wide-zoomed.png")


def test_stepper_walks_the_backward_pass(tour, artifacts):
    index = cell_index("steps")
    output = tour.output(index)
    check_stepper(output, TEXTBOOK)
    tour.cell(index).screenshot(path=artifacts / "lab-stepper-end.png")


def active_cell(tour):
    return tour.page.evaluate("""() => Array.from(document.querySelectorAll(
        '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell')).findIndex(c => c.classList.contains('jp-mod-active'))""")


def test_stepper_keys_step_and_never_reach_jupyterlab(tour, artifacts):
    output = tour.output(cell_index("steps"))
    stepper = Stepper(output)
    expect(stepper.box.locator(".ck-keys")).to_contain_text("←")
    stepper.slide_to(0)
    stepper.expect_position(0)
    cells_before, active_before = tour.cells.count(), active_cell(tour)
    stepper.box.locator("input.ck-slider").focus()  # where a student's focus is after using the slider
    keyboard = tour.page.keyboard
    for key, position in [("ArrowRight", 1), ("ArrowRight", 2), ("ArrowLeft", 1), ("End", stepper.count), ("Home", 0)]:
        keyboard.press(key)
        stepper.expect_position(position)
    stepper.box.focus()
    keyboard.press("ArrowRight")
    stepper.expect_position(1)
    keyboard.press("Space")
    expect(stepper.box.locator("button.ck-play")).to_have_text(re.compile("Pause"))
    keyboard.press("Space")
    expect(stepper.box.locator("button.ck-play")).to_have_text(re.compile("Play"))
    # JupyterLab saw none of it: the same cell is active, no cell was added, run or collapsed
    assert active_cell(tour) == active_before and tour.cells.count() == cells_before
    expect(tour.page.locator(".jp-collapseHeadingButton.jp-mod-collapsed")).to_have_count(0)
    stepper.box.locator("input.ck-slider").focus()
    keyboard.press("ArrowLeft")
    stepper.slide_to(3)
    tour.cell(cell_index("steps")).screenshot(path=artifacts / "lab-stepper-middle.png")


def test_an_mlp_is_an_overview_of_inputs_layers_and_output(tour, artifacts):
    output = tour.output(cell_index("mlp"))
    expect_readable(output)
    texts = svg_texts(svg_source(output))
    assert {"xs: 16 inputs", "hidden: layer of 16 neurons", "hidden2: layer of 16 neurons"} <= set(texts), texts
    assert output.bounding_box()["height"] < 3 * 900, "the overview is more than three screens tall"
    tour.cell(cell_index("mlp")).screenshot(path=artifacts / "lab-overview.png")


def test_big_graph_note_is_text_above_the_picture_with_whole_commands(tour, artifacts):
    big, after = cell_index("big"), cell_index("after big")
    output = tour.output(big)
    expect_readable(output)
    note = output.locator(".ck-note").first
    expect(note).to_be_visible()
    assert re.search(r"This graph has [\d,]+ values, more than --max-nodes [\d,]+, so it is folded", note.inner_text())
    assert note.bounding_box()["y"] < output.locator("svg").first.bounding_box()["y"], "the note is not above the picture"
    assert float(note.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")) >= 13
    commands = note.locator("code.ck-command").all_inner_texts()
    assert re.fullmatch(r"%%trace --max-nodes \d+ --format text", commands[-2]), commands
    for command in note.locator("code.ck-command").all():  # each on one line, so it is copied whole
        assert command.evaluate("el => el.getClientRects().length") == 1
    expect(tour.output(after)).to_have_text("still responsive: 20")  # the kernel came back
    tour.cell(big).screenshot(path=artifacts / "lab-big-graph-note.png")
