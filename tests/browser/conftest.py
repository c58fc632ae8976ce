"""Fixtures for the browser tests: a course copy, JupyterLab serving it, headless Chromium.

The lab and the browser are started once per session (each takes seconds) and always
shut down by their context managers, which also fail the run if anything is left behind.
"""

import importlib.util
import shutil
from pathlib import Path

import pytest

from . import harness
from .notebooks import write_tour_notebook

if importlib.util.find_spec("playwright") is None:  # say it once, not as an ImportError per module
    raise pytest.UsageError("the browser tests need the `browser` extra: run `make test-browser`, "
                            "or `pip install -e '.[dev,browser]'` and Chromium")

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
COURSE_FOLDERS = ("solutions", "exercises")

# Generous, because the machine may be busy; these only guard against hangs.
ACTION_TIMEOUT_MS = 60_000


@pytest.fixture(scope="session")
def chromium_executable():
    path = harness.find_chromium()
    if path is None:
        pytest.fail(harness.INSTALL_HINT)
    return path


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def course(tmp_path_factory):
    """A temp copy of the course notebooks, plus the tour notebook the tests build."""
    root = tmp_path_factory.mktemp("course")
    for folder in COURSE_FOLDERS:
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, root / folder)
    write_tour_notebook(root / "tour.ipynb")
    return root


@pytest.fixture(scope="session")
def lab(course, tmp_path_factory):
    with harness.running_jupyterlab(course, tmp_path_factory.mktemp("jupyter")) as lab:
        yield lab


@pytest.fixture(scope="session")
def playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright, chromium_executable, tmp_path_factory):
    profile = tmp_path_factory.mktemp("chromium-profile")
    with harness.running_chromium(playwright, chromium_executable, profile) as context:
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        yield context


def open_tab(browser):
    page = browser.new_page()
    yield page
    page.close()


@pytest.fixture
def page(browser):
    yield from open_tab(browser)


@pytest.fixture(scope="module")
def module_page(browser):
    """One tab for all of a module's tests, when they look at one notebook run once."""
    yield from open_tab(browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failure, save what the tab showed, for whoever debugs it."""
    report = yield
    page = item.funcargs.get("page") or item.funcargs.get("module_page")
    if report.when == "call" and report.failed and page is not None and not page.is_closed():
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"FAILED-{item.name}.png", full_page=True)
    return report
