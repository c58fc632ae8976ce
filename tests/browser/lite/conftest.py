"""Fixtures for the browser course's test: the built site (dist/lite, from `make lite`), served
from this machine, and one tab of it in a fresh Chromium profile (so the first visit is cold)."""

from pathlib import Path

import pytest

from .site import LitePage, serving

SITE = Path(__file__).resolve().parents[3] / "dist" / "lite"


@pytest.fixture(scope="module")
def site_url():
    if not (SITE / "index.html").is_file():
        pytest.fail(f"{SITE} is not built: run `make lite` (or `make test-lite`, which builds it first)")
    with serving(SITE) as url:
        yield url


@pytest.fixture(scope="module")
def requests_made(browser):
    """Every URL the browser asked for while the tests ran."""
    seen = []
    browser.on("request", lambda request: seen.append(request.url))
    return seen


@pytest.fixture(scope="module")
def lite(browser, site_url, requests_made):
    """The site, opened; every kernel the tests start loads coursekit first (so each test can run alone)."""
    page = browser.new_page()
    lite = LitePage(page, site_url, kernel_setup="%load_ext coursekit")
    lite.open()
    yield lite
    page.close()
