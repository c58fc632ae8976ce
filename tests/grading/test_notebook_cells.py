"""A notebook graded by its cells: saved (each cell named by its first line) or as a kernel ran them
(named as Jupyter numbers them), what a failed import costs, and where each failing test's code lives."""

import shutil

import nbformat
import pytest
from grading_helpers import EXERCISE, SOLUTION, failures

from coursekit.grading import grade_plan, plan_run
from coursekit.grading.live import CellRuns, executed_cells, kernel_submission
from coursekit.grading.public import check_public_tests
from coursekit.grading.report import format_report

CHAPTER = "ch2-more-operations.ipynb"
REPO_VALUE = EXERCISE.parent / "solutions" / "value.py"
IMPORTS = "%load_ext coursekit\nimport math\nimport coursekit\nfrom value import Value"
SOFTPLUS = "def softplus(v):\n    return (1 + v.exp()).log()"


@pytest.fixture
def course(tmp_path):
    """A student's folder as student.zip unpacks it, value.py solved."""
    (tmp_path / "value.py").write_text(SOLUTION)
    shutil.copytree(EXERCISE / "public-tests", tmp_path / "public-tests")
    return tmp_path


def saved_chapter(folder, *cells):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Chapter 2")] +
                                        [nbformat.v4.new_code_cell(source) for source in cells])
    nbformat.write(notebook, folder / CHAPTER)
    return folder / "value.py"


def check(submission, cells=None):
    [report] = check_public_tests(submission, "ch2", cells)
    return report


def test_a_library_the_grader_lacks_fails_only_the_code_that_uses_it(course):
    report = check(saved_chapter(course, IMPORTS + "\nimport matplotlib.pyplot as plt\nimport numpy as np",
                                 "def softplus(v):\n    return Value(float(np.log1p(np.exp(v.data))))"))
    assert report.notes == () and report.score == report.max_score - 5
    assert set(failures(report, "softplus").splitlines()) == {
        "the code imports numpy, which the grader does not have: graded code may import only Python's standard "
        "library (math, random, ...) (cell `def softplus(v):`, line 2, in softplus) | "}


def test_a_chapter_comparing_with_coursekits_value_is_not_refused(course):
    report = check(saved_chapter(course, IMPORTS + "\nfrom coursekit.nn import Neuron as ReferenceNeuron",
                                 SOFTPLUS, "C = coursekit.Value\nreference = C(2.0) + 1"))
    assert report.passed and report.notes == ()


def test_graded_code_that_uses_coursekits_value_is_refused_where_it_does(course):
    report = check(saved_chapter(course, IMPORTS, "def softplus(v):\n    return (1 + coursekit.Value(v.data).exp()).log()"))
    assert report.score == report.max_score - 5
    assert set(failures(report, "softplus").splitlines()) == {
        "ImportError: the submission uses coursekit's reference engine; grading needs your own Value class (only "
        "coursekit's drawing helpers, draw_dot and %%trace, may be used) (cell `def softplus(v):`, line 2, in softplus) | "}


def test_a_saved_cell_that_fails_is_named_by_its_first_line(course):
    report = check(saved_chapter(course, IMPORTS, SOFTPLUS, "def helper(:\n    pass"))
    assert report.passed and report.notes == ("cell `def helper(:` failed: SyntaxError: invalid syntax",)


def test_the_cells_a_kernel_ran_are_graded_not_the_saved_notebook(course):
    submission = saved_chapter(course, IMPORTS, "def softplus(v):\n    raise NotImplementedError")
    history = ["", IMPORTS, "def softplus(v):\n    return v.exp().log()", SOFTPLUS, "%check --assignment ch2"]
    assert check(submission).score == check(submission, executed_cells(history)).score - 5
    wrong = check(submission, executed_cells(history[:3]))
    assert wrong.places["softplus"] == (("softplus", "cell [2]"),) and wrong.places["pow"] == (("Value", "value.py"),)
    assert "softplus — in cell [2]\n  softplus(Value(0.0)): " in format_report(wrong)


def test_a_cell_run_again_replaces_its_earlier_run(course):
    runs = CellRuns()
    for count, cell in ((1, "a"), (2, "b"), (3, "b"), (4, None)):  # 4: a front end that names no cell
        runs.record(type("Result", (), {"execution_count": count, "info": type("Info", (), {"cell_id": cell})})())
    history = ["", IMPORTS, "def softplus(v):\n    raise ValueError(", SOFTPLUS, "x = 1"]
    assert executed_cells(history, runs.cell_of) == [("cell [1]", IMPORTS), ("cell [3]", SOFTPLUS), ("cell [4]", "x = 1")]
    assert check(course / "value.py", executed_cells(history, runs.cell_of)).notes == ()
    assert check(course / "value.py", executed_cells(history)).notes == (
        "cell [2] failed: SyntaxError: '(' was never closed",)


def test_the_header_says_what_was_graded_and_when_it_was_saved(course):
    submission = saved_chapter(course, IMPORTS, SOFTPLUS)
    live = format_report(check(submission, executed_cells(["", IMPORTS, SOFTPLUS])))
    saved = format_report(check(submission))
    assert live.startswith(f"{CHAPTER} as run in this kernel, value.py as saved at ")
    assert saved.startswith("value.py as saved at ") and f", {CHAPTER} as saved at " in saved.splitlines()[0]


def test_a_test_calling_several_of_the_students_functions_names_each(tmp_path):
    shutil.copy(REPO_VALUE, tmp_path / "value.py")
    cells = executed_cells(["", "import random\nfrom value import Value", "class Neuron:\n    pass",
                            "class Layer:\n    pass\n\n\nclass MLP:\n    pass", "def loss_of(model, points, labels):\n    pass"])
    [report] = [grade_plan(tmp_path, plan_run(EXERCISE / "public-tests", None, "ch5"),
                           submission=kernel_submission(cells, "ch5-a-tiny-network.ipynb", tmp_path))]
    assert report.places == {"neuron": (("Neuron", "cell [2]"),), "mlp": (("MLP", "cell [3]"),),
                             "loss": (("loss_of", "cell [4]"),)}
    headings = [line for line in format_report(report).splitlines() if " — " in line]
    assert headings == ["neuron — Neuron in cell [2]", "mlp — MLP in cell [3]", "loss — loss_of in cell [4]"]


def test_without_value_py_the_cells_are_the_value_module(tmp_path):
    cells = [("cell [1]", "from value import Value"), ("cell [2]", SOLUTION)]
    submission = kernel_submission(cells, "value.ipynb", tmp_path)
    assert sorted(submission.files) == ["_notebook.py"] and submission.sources == ()
    assert "pass  # from value import Value" in submission.files["_notebook.py"].decode()
    report = grade_plan(tmp_path, plan_run(EXERCISE / "public-tests", None, "ch1"), submission=submission)
    assert report.passed and report.places["add"] == (("Value", "cell [2]"),)
