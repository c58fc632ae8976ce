"""Drive a notebook in JupyterLab the way a person does: open it, click a cell, Shift+Enter."""

import re
import time
import uuid

from playwright.sync_api import expect

# Hang guards for the kernel: starting it and running a cell on a busy machine.
KERNEL_TIMEOUT_MS = 120_000
EXECUTED = re.compile(r"^\[\d+\]:$")
FAILED = re.compile(r"Error|Traceback")


class NotebookInLab:
    def __init__(self, page, lab, path):
        self.page = page
        self.lab = lab
        self.path = path

    def open(self):
        """Open the notebook and wait until its kernel is idle and its cells are drawn."""
        # A workspace of its own, so JupyterLab does not also reopen what other tabs had open.
        workspace = uuid.uuid4().hex
        self.page.goto(self.lab.url(f"lab/workspaces/{workspace}/tree/{self.path}?token={self.lab.token}"))
        expect(self.cells.first).to_be_visible(timeout=KERNEL_TIMEOUT_MS)
        self.wait_for_kernel()
        return self

    def wait_for_kernel(self):
        """Wait until the notebook's kernel is idle and this page is connected to it: cells run
        before the connection is made are dropped by JupyterLab, silently."""
        deadline = time.monotonic() + KERNEL_TIMEOUT_MS / 1000
        while not any(session["path"] == self.path and session["kernel"]["execution_state"] == "idle"
                      and session["kernel"]["connections"] > 0 for session in self.lab.api("sessions")):
            assert time.monotonic() < deadline, f"the kernel of {self.path} did not become ready"
            time.sleep(0.3)
        self.wait_until_idle()

    def wait_until_idle(self):
        idle = self.page.locator(".jp-NotebookPanel:visible .jp-Notebook-ExecutionIndicator[data-status='idle']")
        expect(idle).to_have_count(1, timeout=KERNEL_TIMEOUT_MS)

    @property
    def file(self):
        return self.lab.root / self.path

    @property
    def cells(self):
        return self.page.locator(".jp-NotebookPanel:visible .jp-Notebook .jp-Cell")

    def cell(self, index):
        return self.cells.nth(index)

    def output(self, index):
        return self.cell(index).locator(".jp-OutputArea-output")

    def run_cells_through(self, index):
        """Run every cell from the top down to `index` with Shift+Enter, and wait for the last.

        Done means a new execution count in the last cell's prompt, or a traceback from any
        cell (the kernel then drops the cells queued behind it, so the count may never come);
        a traceback fails the test with its text.
        """
        prompt = self.cell(index).locator(".jp-InputPrompt")
        before = re.compile(f"^{re.escape(prompt.inner_text().strip())}$")
        self.cell(0).locator(".jp-InputPrompt").click()
        for _ in range(index + 1):
            self.page.keyboard.press("Shift+Enter")
        done = prompt.filter(has_text=EXECUTED).filter(has_not_text=before)
        error = self.cells.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']",
                                   has_text=FAILED)
        expect(done.or_(error).first).to_be_visible(timeout=KERNEL_TIMEOUT_MS)
        self.wait_until_idle()
        if error.count():
            raise AssertionError(f"a cell failed before cell {index} ran:\n{error.first.inner_text()}")

    def execution_count(self, index):
        """The number Jupyter shows left of a cell once it ran ("[7]:" is 7)."""
        return int(re.search(r"\d+", self.cell(index).locator(".jp-InputPrompt").inner_text()).group())

    def run_cell(self, index):
        """Run one cell with Shift+Enter and wait for its new execution count (an error is its output)."""
        prompt = self.cell(index).locator(".jp-InputPrompt")
        before = re.compile(f"^{re.escape(prompt.inner_text().strip())}$")
        prompt.click()
        self.page.keyboard.press("Shift+Enter")
        expect(prompt.filter(has_text=EXECUTED).filter(has_not_text=before)).to_be_visible(timeout=KERNEL_TIMEOUT_MS)
        self.wait_until_idle()

    def replace_source(self, index, text):
        """Type over a cell's code, as a student does, without saving the notebook."""
        self.cell(index).locator(".cm-content").click()
        self.page.keyboard.press("Control+A")
        self.page.keyboard.insert_text(text)  # as pasted: no auto-indent, no auto-closed brackets
        self.page.keyboard.press("Escape")
