"""The documentation site (`make docs` builds it into site/) as a reader opens it.

The site is served from 127.0.0.1 by a plain http.server, and every request to any other address
is blocked and recorded: the pages must show everything with no network at all.
"""

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from .conftest import REPO
from .graph_view import check_stepper, expect_picture_drawn, expect_values, svg_source
from .notebooks import DIAMOND, TEXTBOOK

SITE = REPO / "site"
WINDOW = {"width": 1280, "height": 900}


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site_url():
    if not (SITE / "index.html").is_file():
        pytest.fail(f"{SITE} is missing: run `make docs` first (.ci/run runs it before make test-browser)")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(SITE)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def site_page(page, site_url):
    """A 1280-pixel tab that may load the site and inline data, nothing else."""
    page.set_viewport_size(WINDOW)
    blocked = []

    def only_the_site(route):
        if route.request.url.startswith((site_url, "data:")):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_site)
    page.blocked_requests = blocked
    return page


def code_cell_output(page, text):
    """The output area of the notebook cell whose code contains `text`."""
    cell = page.locator(".jp-CodeCell").filter(has=page.locator(".jp-InputArea", has_text=text)).first
    return cell.locator(".jp-OutputArea-output").first


def test_a_chapter_page_shows_its_pictures_and_steps_offline(site_page, site_url, artifacts):
    site_page.goto(site_url + "course/ch4-backward.html")
    pictures = site_page.locator(".jp-OutputArea-output").filter(has=site_page.locator("svg, img[src^='data:image/svg+xml']"))
    assert pictures.count() >= 2
    for index in range(pictures.count()):
        expect_picture_drawn(pictures.nth(index))
    grads = code_cell_output(site_page, "%%trace --grad")
    expect_values(svg_source(grads), TEXTBOOK)
    grads.screenshot(path=artifacts / "docs-ch4-grad.png")
    check_stepper(code_cell_output(site_page, "%%trace --steps"), DIAMOND)
    site_page.screenshot(path=artifacts / "docs-ch4-page.png", full_page=True)
    assert site_page.blocked_requests == []


def test_the_trace_guide_draws_every_cell_and_its_stepper_works(site_page, site_url, artifacts):
    site_page.goto(site_url + "trace.html")
    outputs = site_page.locator(".cell-output").filter(has=site_page.locator("svg"))
    assert outputs.count() >= 6
    for index in range(outputs.count()):
        expect_picture_drawn(outputs.nth(index))
    stepper = site_page.locator(".cell-output").filter(has=site_page.locator(".ck-steps"))
    check_stepper(stepper, TEXTBOOK)
    stepper.screenshot(path=artifacts / "docs-trace-stepper.png")
    site_page.screenshot(path=artifacts / "docs-trace-guide.png", full_page=True)
    assert site_page.blocked_requests == []


def test_the_home_page_shows_the_graph_and_leads_to_the_course(site_page, site_url, artifacts):
    site_page.goto(site_url + "index.html")
    graph = site_page.locator("article img[src$='textbook-graph.svg']")
    expect(graph).to_be_visible()
    assert graph.evaluate("img => img.complete && img.naturalWidth > 300"), "the graph did not load"
    site_page.screenshot(path=artifacts / "docs-home.png")
    site_page.get_by_role("link", name="chapters").first.click()
    site_page.wait_for_url("**/course/index.html")
    assert site_page.blocked_requests == []
