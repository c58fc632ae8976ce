"""Drive a notebook in JupyterLab the way a person does: open it, click a cell, Shift+Enter."""

import re

from playwright.sync_api import expect

# Hang guards for the kernel: starting it and running a cell on a busy machine.
KERNEL_TIMEOUT_MS = 120_000
EXECUTED = re.compile(r"^\[\d+\]:$")


class NotebookInLab:
    def __init__(self, page, lab, path):
        self.page = page
        self.lab = lab
        self.path = path

    def open(self):
        """Open the notebook and wait until its kernel is idle and its cells are drawn."""
        self.page.goto(self.lab.url(f"lab/tree/{self.path}?token={self.lab.token}"))
        expect(self.cells.first).to_be_visible(timeout=KERNEL_TIMEOUT_MS)
        idle = self.page.locator(".jp-NotebookPanel .jp-Notebook-ExecutionIndicator[data-status='idle']")
        expect(idle).to_have_count(1, timeout=KERNEL_TIMEOUT_MS)
        return self

    @property
    def cells(self):
        return self.page.locator(".jp-NotebookPanel:visible .jp-Notebook .jp-Cell")

    def cell(self, index):
        return self.cells.nth(index)

    def output(self, index):
        return self.cell(index).locator(".jp-OutputArea-output")

    def run_cells_through(self, index):
        """Run every cell from the top down to `index` with Shift+Enter, and wait for the last."""
        self.cell(0).locator(".jp-InputPrompt").click()
        for _ in range(index + 1):
            self.page.keyboard.press("Shift+Enter")
        self.wait_until_executed(index)

    def wait_until_executed(self, index):
        expect(self.cell(index).locator(".jp-InputPrompt")).to_have_text(EXECUTED, timeout=KERNEL_TIMEOUT_MS)
        idle = self.page.locator(".jp-NotebookPanel .jp-Notebook-ExecutionIndicator[data-status='idle']")
        expect(idle).to_have_count(1, timeout=KERNEL_TIMEOUT_MS)
