"""An executed notebook opened in JupyterLab without being run here: JupyterLab does not trust its
outputs, so their scripts do not run. The pictures must still show, and the stepper must show the
finished backward pass with one line saying how to make it step."""

import nbformat
import pytest
from nbclient import NotebookClient
from playwright.sync_api import expect

from .graph_view import expect_picture_drawn, svg_source, svg_texts
from .lab_page import NotebookInLab
from .notebooks import TEXTBOOK, cell_index, tour_notebook

KERNEL_TIMEOUT = 300  # seconds, a hang guard for executing the tour


@pytest.fixture(scope="module")
def untrusted(module_page, lab):
    notebook = tour_notebook()
    NotebookClient(notebook, timeout=KERNEL_TIMEOUT, kernel_name="python3",
                   resources={"metadata": {"path": str(lab.root)}}).execute()
    nbformat.write(notebook, lab.root / "executed-elsewhere.ipynb")  # unsigned: this lab has never trusted it
    return NotebookInLab(module_page, lab, "executed-elsewhere.ipynb").open()


def test_pictures_show_without_scripts(untrusted, artifacts):
    output = untrusted.output(cell_index("graph"))
    expect_picture_drawn(output)
    assert {"a", "b", "L", "grad 6"} <= set(svg_texts(svg_source(output)))
    assert "<svg" not in output.inner_text()  # drawn, not shown as source
    untrusted.cell(cell_index("graph")).screenshot(path=artifacts / "untrusted-graph.png")


def test_stepper_shows_the_finished_pass_and_how_to_step(untrusted, artifacts):
    output = untrusted.output(cell_index("steps"))
    expect_picture_drawn(output)
    texts = svg_texts(svg_source(output))
    for name, (_, grad) in TEXTBOOK.values.items():
        assert name in texts and f"grad {grad:g}" in texts  # the end of the backward pass
    status = output.locator(".ck-status")
    expect(status).to_contain_text("trust the notebook")
    expect(status).to_contain_text("run the cell again")
    expect(output.locator("button.ck-next")).to_be_hidden()  # no dead buttons
    assert "<svg" not in output.inner_text()
    untrusted.cell(cell_index("steps")).screenshot(path=artifacts / "untrusted-stepper.png")
