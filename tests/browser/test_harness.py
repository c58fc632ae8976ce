"""The harness itself: what it starts is stopped again, and a failing cell fails the test fast."""

import json
import urllib.request

import nbformat
import pytest

from . import harness
from .lab_page import NotebookInLab
from .notebooks import new_notebook


def start_kernel(lab):
    request = urllib.request.Request(
        lab.url("api/kernels"), data=json.dumps({"name": "python3"}).encode(), method="POST",
        headers={"Authorization": f"token {lab.token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)["id"]


def test_jupyterlab_and_its_kernels_are_gone_after_the_fixture(tmp_path):
    (tmp_path / "course").mkdir()
    state = tmp_path / "jupyter"
    with harness.running_jupyterlab(tmp_path / "course", state) as lab:
        kernel = start_kernel(lab)
        assert [k["id"] for k in lab.api("kernels")] == [kernel]
        # The server and its kernel both name the state folder, so the scan below is not vacuous.
        assert len(harness.processes_mentioning(str(state))) >= 2
    assert harness.processes_mentioning(str(state)) == []


def test_chromium_is_gone_after_the_fixture(playwright, chromium_executable, tmp_path):
    with harness.running_chromium(playwright, chromium_executable, tmp_path) as browser:
        browser.new_page().set_content("<p>hello</p>")
        assert harness.processes_mentioning(str(tmp_path))
    assert harness.processes_mentioning(str(tmp_path)) == []


def test_a_failing_cell_fails_the_run_with_its_traceback(page, lab):
    cells = [nbformat.v4.new_code_cell("1 / 0"), nbformat.v4.new_code_cell("print('never runs')")]
    nbformat.write(new_notebook(cells), lab.root / "broken.ipynb")
    broken = NotebookInLab(page, lab, "broken.ipynb").open()
    with pytest.raises(AssertionError, match="ZeroDivisionError"):
        broken.run_cells_through(1)
