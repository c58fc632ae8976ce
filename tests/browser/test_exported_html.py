"""The tour notebook executed, exported to HTML with nbconvert, opened from disk with no network."""

import pytest
from nbclient import NotebookClient
from nbconvert import HTMLExporter

from .graph_view import check_stepper, expect_picture_drawn, expect_readable, expect_values, svg_source
from .notebooks import TEXTBOOK, cell_index, tour_notebook

TEMPLATE_CDN = "https://cdnjs.cloudflare.com/"
KERNEL_TIMEOUT = 300  # seconds, a hang guard for executing the whole tour


@pytest.fixture(scope="module")
def exported_html(tmp_path_factory):
    folder = tmp_path_factory.mktemp("export")
    notebook = tour_notebook()
    NotebookClient(notebook, timeout=KERNEL_TIMEOUT, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    body, _ = HTMLExporter().from_notebook_node(notebook)
    path = folder / "tour.html"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.fixture
def offline_page(page, exported_html):
    """The exported file in a tab that may load nothing but the file itself."""
    blocked = []

    def only_local(route):
        if route.request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    page.goto(exported_html.as_uri())
    page.blocked_requests = blocked
    return page


def cell_output(page, index):
    # nbconvert's lab template keeps one .jp-Cell per notebook cell, in order.
    return page.locator("main > .jp-Cell").nth(index).locator(".jp-OutputArea-output")


def test_exported_graph_shows_names_data_and_grads(offline_page, artifacts):
    output = cell_output(offline_page, cell_index("graph"))
    expect_picture_drawn(output)
    expect_values(svg_source(output), TEXTBOOK)
    expect_readable(output)
    output.screenshot(path=artifacts / "html-textbook-graph.png")


@pytest.mark.parametrize("width", [1024, 1280, 1920])
def test_exported_drawings_stay_readable_and_scroll_inside_their_output(offline_page, artifacts, width):
    offline_page.set_viewport_size({"width": width, "height": 900})
    for role in ["graph", "steps", "student", "wide", "mlp", "big"]:
        box = expect_readable(cell_output(offline_page, cell_index(role)))
        if role == "wide":
            assert box["scrolls"], box
    cell_output(offline_page, cell_index("wide")).screenshot(path=artifacts / f"html-wide-{width}.png")


def test_exported_stepper_works_offline(offline_page, artifacts):
    output = cell_output(offline_page, cell_index("steps"))
    check_stepper(output, TEXTBOOK)
    output.screenshot(path=artifacts / "html-stepper-end.png")
    # Only nbconvert's own page template asks the network for anything (require.js, MathJax).
    assert all(url.startswith(TEMPLATE_CDN) for url in offline_page.blocked_requests), offline_page.blocked_requests
