"""`%check` in JupyterLab as a student uses it: it grades the cells as the kernel ran them (a fix run
but not saved counts), names the cell to fix as Jupyter numbers it, and at full marks says nothing
but the score."""

import re
import shutil

import nbformat
import pytest
from playwright.sync_api import expect

from .conftest import REPO
from .lab_page import KERNEL_TIMEOUT_MS, NotebookInLab
from .notebooks import find_cell

CH2, CH5 = "ch2-more-operations.ipynb", "ch5-a-tiny-network.ipynb"
FIX = "def softplus(v):\n    return (1 + v.exp()).log()\n"
PASSED = re.compile(r"Total: (\d+) / \1\s*$")


@pytest.fixture
def student(lab):
    """A student's folder as student.zip unpacks it, value.py done and chapter 2 saved with its
    softplus still to write."""
    folder = lab.root / "student"
    folder.mkdir(exist_ok=True)
    shutil.copy(REPO / "solutions" / "value.py", folder / "value.py")
    shutil.copy(REPO / "exercises" / CH2, folder / CH2)
    shutil.copytree(REPO / "exercises" / "public-tests", folder / "public-tests", dirs_exist_ok=True)
    return folder


def is_softplus(source):
    return source.startswith("def softplus")


def is_check(source):
    return source.startswith("%check")


def test_an_unsaved_fix_followed_by_check_gets_the_fixed_verdict(page, lab, student, artifacts):
    chapter = NotebookInLab(page, lab, f"student/{CH2}").open()
    softplus, check = find_cell(chapter.file, is_softplus), find_cell(chapter.file, is_check)
    chapter.run_cells_through(softplus)
    count = chapter.execution_count(softplus)

    chapter.run_cell(check)
    verdict = chapter.output(check).last
    expect(verdict).to_contain_text(f"ChecksFailed: 1 public test failed: ch2 softplus (50/55). Fix softplus in "
                                    f"cell [{count}] and run that cell, then run %check again.")
    chapter.cell(check).screenshot(path=artifacts / "lab-check-ch2-before-the-fix.png")

    chapter.replace_source(softplus, FIX)
    chapter.run_cell(softplus)
    chapter.run_cell(check)
    report = chapter.output(check).first.inner_text()
    assert report.startswith(f"{CH2} as run in this kernel, value.py as saved at "), report
    assert PASSED.search(report) and "note" not in report and "ChecksFailed" not in chapter.cell(check).inner_text()
    assert chapter.output(check).count() == 1  # the report alone: no picture, no warning
    assert "raise NotImplementedError" in (student / CH2).read_text()  # the fix was never saved
    chapter.cell(check).screenshot(path=artifacts / "lab-check-ch2-after-the-unsaved-fix.png")


def test_chapter_5_at_full_marks_says_nothing_but_the_score(page, lab, artifacts):
    chapter = NotebookInLab(page, lab, f"solutions/{CH5}").open()
    check = find_cell(chapter.file, is_check)
    assert check == len(nbformat.read(chapter.file, as_version=4).cells) - 1
    chapter.run_cells_through(check)
    assert chapter.output(check).count() == 1
    report = chapter.output(check).first.inner_text()
    assert report.startswith(f"{CH5} as run in this kernel, value.py as saved at "), report
    assert PASSED.search(report) and "note" not in report and "reference engine" not in report, report
    chapter.cell(check).screenshot(path=artifacts / "lab-check-ch5-full-marks.png")
    expect(chapter.cell(check).locator(".jp-InputPrompt")).to_have_text(re.compile(r"\[\d+\]:"),
                                                                         timeout=KERNEL_TIMEOUT_MS)
