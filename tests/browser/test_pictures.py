"""The pictures a student reads, in Chromium at the widths students use: chapter 5's `%check`
picture of a wrong neuron in JupyterLab and on the feedback page, and chapter 6's attention graph.
Each is readable at first view (text of 10 px or more) and opens where a reader starts: a graph
that fits the column whole, a wider one on its inputs, one many columns wide as an overview that a
click zooms into."""

import shutil
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import expect

from coursekit.grading import grade_plan, plan_run
from coursekit.grading.feedback import write_feedback

from .graph_view import READABLE_PX, expect_readable, smallest_text_px, view_box
from .lab_page import EXECUTED, KERNEL_TIMEOUT_MS, NotebookInLab
from .notebooks import find_cell

REPO = Path(__file__).resolve().parents[2]
FORGETS_BIAS = REPO / "tests" / "grading" / "golden" / "submissions" / "notebook_ch5"  # chapter 5 without the bias
WIDTHS = [1024, 1280, 1920]
INPUTS = {"xs[0]", "xs[1]", "xs[2]", "weights[0]", "weights[1]", "weights[2]"}


def opens_on_its_inputs(output):
    """The names of the inputs drawn inside the visible part of the scrolling box."""
    return set(output.locator(".ck-scroll").first.evaluate("""el => {
        const view = el.getBoundingClientRect();
        return Array.from(el.querySelectorAll('g.node text'))
            .filter(t => { const at = t.getBoundingClientRect();
                           return at.left >= view.left && at.right <= view.right && at.top >= view.top
                                  && at.bottom <= view.bottom; })
            .map(t => t.textContent.trim());
    }"""))


@pytest.fixture(scope="module")
def check_in_lab(module_page, lab):
    """A student folder whose chapter 5 notebook forgets the bias, and a notebook running %check on it."""
    folder = lab.root / "wrong-ch5"
    shutil.copytree(REPO / "exercises" / "public-tests", folder / "public-tests")
    for path in FORGETS_BIAS.iterdir():
        shutil.copy(path, folder / path.name)
    cells = ["%load_ext coursekit", "%check --assignment ch5"]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in cells])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nbformat.write(notebook, folder / "check.ipynb")
    notebook = NotebookInLab(module_page, lab, "wrong-ch5/check.ipynb").open()
    notebook.cell(0).locator(".jp-InputPrompt").click()
    module_page.keyboard.press("Shift+Enter")
    module_page.keyboard.press("Shift+Enter")
    expect(notebook.output(1).locator(".ck-view").first).to_be_visible(timeout=KERNEL_TIMEOUT_MS)
    notebook.wait_until_idle()
    return notebook


@pytest.mark.parametrize("width", WIDTHS)
def test_the_check_picture_of_chapter_5_reads_at_first_view_from_its_inputs(check_in_lab, artifacts, width):
    check_in_lab.page.set_viewport_size({"width": width, "height": 900})
    try:
        output = check_in_lab.output(1).filter(has=check_in_lab.page.locator(".ck-view")).first  # the neuron first
        output.locator(".ck-view").first.scroll_into_view_if_needed()
        expect_readable(output, "the %check picture")
        assert INPUTS <= opens_on_its_inputs(output), opens_on_its_inputs(output)
        texts = {text.strip() for text in output.locator("g.node text").all_text_contents()}
        assert {"neuron(xs)", "data 0.55, expected 0.6"} <= texts  # the wrong output, with what was expected
        check_in_lab.cell(1).screenshot(path=artifacts / f"lab-check-ch5-{width}.png")
    finally:
        check_in_lab.page.set_viewport_size({"width": 1400, "height": 1000})


@pytest.mark.parametrize("width", WIDTHS)
def test_the_feedback_page_of_chapter_5_reads_at_first_view_from_its_inputs(page, artifacts, tmp_path, width):
    report = grade_plan(FORGETS_BIAS, plan_run(REPO / "autograder" / "ch5"))
    _, html_page = write_feedback(tmp_path, "notebook_ch5", report)  # (markdown, html)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(html_page.as_uri())
    output = page.locator(".picture").first
    output.scroll_into_view_if_needed()
    expect_readable(output, "the feedback picture")
    assert INPUTS <= opens_on_its_inputs(output), opens_on_its_inputs(output)
    page.screenshot(path=artifacts / f"feedback-ch5-{width}.png", full_page=True)


@pytest.fixture(scope="module")
def chapter_6(module_page, lab):
    chapter = NotebookInLab(module_page, lab, "solutions/ch6-a-gpt.ipynb").open()
    index = find_cell(chapter.file, lambda source: source.startswith("%%trace") and "attention_head" in source)
    chapter.run_cells_through(index)
    return chapter, index


def run_again(chapter, index):
    """Run one cell again (Ctrl+Enter), so its picture opens afresh at the window's width."""
    prompt = chapter.cell(index).locator(".jp-InputPrompt")
    before = prompt.inner_text().strip()
    prompt.click()
    chapter.page.keyboard.press("Control+Enter")
    expect(prompt).not_to_have_text(before, timeout=KERNEL_TIMEOUT_MS)
    expect(prompt).to_have_text(EXECUTED, timeout=KERNEL_TIMEOUT_MS)
    chapter.wait_until_idle()


@pytest.mark.parametrize("width", WIDTHS)
def test_chapter_6_attention_opens_on_the_overview_and_a_click_reads_a_part(chapter_6, artifacts, width):
    chapter, index = chapter_6
    chapter.page.set_viewport_size({"width": width, "height": 900})
    try:
        run_again(chapter, index)
        output = chapter.output(index)
        output.locator(".ck-view").first.scroll_into_view_if_needed()
        opened = view_box(output)
        assert not opened["scrolls"] and smallest_text_px(output) < READABLE_PX, opened  # whole, as an overview
        expect(output.locator(".ck-zoom-level")).to_contain_text("click a part to read it")
        chapter.cell(index).screenshot(path=artifacts / f"lab-ch6-attention-{width}.png")
        area = output.locator(".ck-scroll").first.bounding_box()
        chapter.page.mouse.click(area["x"] + area["width"] * 0.45, area["y"] + area["height"] / 2)
        expect_readable(output, "the attention graph after a click")
        chapter.cell(index).screenshot(path=artifacts / f"lab-ch6-attention-{width}-read.png")
        output.locator(".ck-toolbar .ck-fit").first.click()
        assert view_box(output)["scale"] == pytest.approx(opened["scale"], abs=0.002)  # Fit: the overview again
    finally:
        chapter.page.set_viewport_size({"width": 1400, "height": 1000})
