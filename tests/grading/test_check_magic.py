"""`%check` in a real kernel: the public tests run in the kernel itself (no `coursekit` on PATH),
print the report, and fail the cell unless every test passes."""

import re
import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[2]
CELLS = [
    "%load_ext coursekit\nimport os\nos.environ['PATH'] = ''  # no shell command could be found now",
    "%check --assignment ch1 solved.py",
    "%check --assignment ch1 unsolved.py",
    "%check --assignment chapter1 solved.py",
    "%check nothere.py",
    "%check --bogus",
    "%check --assignment ch1 swapped.py",
    "print('Run All went on')",
]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("check")
    shutil.copy(REPO / "solutions" / "value.py", folder / "solved.py")
    shutil.copy(REPO / "exercises" / "value.py", folder / "unsolved.py")
    solved = (REPO / "solutions" / "value.py").read_text()
    (folder / "swapped.py").write_text(solved.replace("(self, other), (other.data, self.data))", "(self, other), (self.data, other.data))"))
    shutil.copytree(REPO / "exercises" / "public-tests", folder / "public-tests")  # as student.zip ships them
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in CELLS])
    client = NotebookClient(notebook, timeout=300, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(folder)}})
    replies = {}
    client.on_cell_executed = lambda cell, cell_index, execute_reply: replies.__setitem__(cell_index, execute_reply)
    client.execute()
    return [(cell, replies[i]["content"]) for i, cell in enumerate(notebook.cells)]


def shown(cell):
    """Everything the cell shows as text: printed, displayed (the report may come as rich output) and errors."""
    return "\n".join(o.get("text", "") or o.get("data", {}).get("text/plain", "") or "\n".join(o.get("traceback", []))
                     for o in cell.outputs)


def test_a_solved_value_passes_and_the_cell_succeeds(run):
    cell, reply = run[1]
    assert reply["status"] == "ok"
    assert "assignment ch1" in shown(cell) and "Total: 20 / 20" in shown(cell)


def test_failing_tests_fail_the_cell_in_one_line_after_the_report(run):
    cell, reply = run[2]
    assert reply["status"] == "error" and reply["ename"] == "ChecksFailed"
    [error] = [o for o in cell.outputs if o.output_type == "error"]
    assert error.traceback == [f"ChecksFailed: {error.evalue}"]  # no traceback through coursekit
    assert "2 public tests failed: ch1 add, ch1 mul" in error.evalue and "Fix unsolved.py and save it, then run %check again." in error.evalue
    assert "not implemented yet" in shown(cell)  # the report itself came first


@pytest.mark.parametrize("index, says", [
    (3, "%check --assignment chapter1 solved.py: public-tests: no assignment 'chapter1'; there are ch1, ch2, ch3, ch4, ch5, ch6"),
    (4, "%check nothere.py: nothere.py: no such file or folder"),
    (5, "%check: unknown option --bogus. For example %check --assignment ch1; %check? lists the options."),
])
def test_mistakes_are_one_line_usage_errors(run, index, says):
    cell, reply = run[index]
    assert reply["status"] == "error" and reply["ename"] == "UsageError"
    assert shown(cell).strip() == f"UsageError: {says}"


def test_the_kernel_keeps_running(run):
    cell, reply = run[-1]
    assert reply["status"] == "ok" and "Run All went on" in shown(cell)


def test_a_failing_gradient_shows_the_students_graph_with_the_wrong_numbers_marked(run):
    cell, reply = run[6]
    assert reply["status"] == "error" and reply["ename"] == "ChecksFailed"
    assert "hint: mul's local gradients are the wrong way round" in shown(cell)
    pictures = [o.data["text/html"] for o in cell.outputs if "text/html" in o.get("data", {})]
    assert pictures and "<svg" in pictures[0] and "expected local &#45;3" in pictures[0]  # SVG escapes the minus


STUDENT_CELLS = [
    "%load_ext coursekit\nfrom value import Value",
    "def softplus(v):\n    return v.exp().log()",
    "%check --assignment ch2",
    "def softplus(v):\n    return (1 + v.exp()).log()  # fixed, never saved",
    "%check --assignment ch2",
    "%check --assigment ch1",
    "%check --assignment ch9",
]


@pytest.fixture(scope="module")
def student(tmp_path_factory):
    """A student's kernel in a folder like the unzipped exercises/: value.py solved, no notebook saved."""
    folder = tmp_path_factory.mktemp("student")
    shutil.copy(REPO / "solutions" / "value.py", folder / "value.py")
    shutil.copytree(REPO / "exercises" / "public-tests", folder / "public-tests")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in STUDENT_CELLS])
    client = NotebookClient(notebook, timeout=300, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(folder)}})
    client.execute()
    return notebook.cells


def test_check_grades_the_cells_as_run_and_names_the_cell_to_fix(student):
    [error] = [o for o in student[2].outputs if o.output_type == "error"]
    assert error.evalue == ("1 public test failed: ch2 softplus (50/55). "
                            "Fix softplus in cell [2] and run that cell, then run %check again.")
    assert "softplus — in cell [2]" in shown(student[2])


def test_a_fix_run_but_not_saved_passes(student):
    text = shown(student[4])
    assert text.startswith("ch2-more-operations.ipynb as run in this kernel, value.py as saved at ")
    assert text.rstrip().endswith("Total: 55 / 55") and "note" not in text


@pytest.mark.parametrize("index, says", [
    (5, "%check: unknown option --assigment; did you mean --assignment? For example %check --assignment ch1; "
        "%check? lists the options."),
    (6, "%check --assignment ch9: public-tests: no assignment 'ch9'; there are ch1, ch2, ch3, ch4, ch5, ch6"),
])
def test_a_mistyped_option_or_assignment_names_what_there_is(student, index, says):
    assert shown(student[index]).strip() == f"UsageError: {says}"


def test_the_student_guide_quotes_what_a_mistake_says(student):
    guide = " ".join((REPO / "docs" / "student-guide.md").read_text(encoding="utf-8").split())
    for index in (5, 6):
        typed = STUDENT_CELLS[index]
        quoted = re.search(f"`{re.escape(typed)}` → \"([^\"]+)\"", guide)
        assert quoted and quoted.group(1) in shown(student[index]), typed
