"""`coursekit assign` on real folders: notebooks, determinism, errors, the command line."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from coursekit.cli import main
from coursekit.course.assign import AssignError, assign, generate, out_of_date
from coursekit.course.markers import MarkerError
from coursekit.course.notebooks import NotebookError, clear_outputs, read_notebook, strip_cells, validate_notebook

COURSEKIT = Path(sys.executable).with_name("coursekit")


def make_notebook(*cells):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell(source[3:]) if source.startswith("md:")
                else nbformat.v4.new_code_cell(source) for source in cells]
    return nb


def executed(nb):
    """The notebook as if it had been run: outputs, counts and run metadata on every code cell."""
    for count, cell in enumerate(nb.cells, 1):
        if cell.cell_type == "code":
            cell.execution_count = count
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="42\n")]
            cell.metadata["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00"}
    return nb


@pytest.fixture
def course(tmp_path):
    solutions = tmp_path / "solutions"
    solutions.mkdir()
    (solutions / "value.py").write_text(
        "class Value:\n    def __init__(self, data):\n        self.data = data\n\n"
        "    def double(self):\n        ### BEGIN SOLUTION\n        return Value(2 * self.data)\n"
        "        ### END SOLUTION\n"
    )
    nb = executed(make_notebook(
        "md:# Chapter 1",
        "def square(x):\n    ### BEGIN SOLUTION\n    return x * x\n    ### END SOLUTION",
        "assert square(3) == 9\n### BEGIN HIDDEN TESTS\nassert square(-4) == 16\n### END HIDDEN TESTS",
        "md:Why is square(-x) == square(x)?\n\n### BEGIN SOLUTION\nThe sign cancels.\n### END SOLUTION",
    ))
    nbformat.write(nb, solutions / "ch1.ipynb")
    (solutions / "data").mkdir()
    (solutions / "data" / "points.csv").write_bytes(b"x,y\n1,2\n")
    (solutions / "__pycache__").mkdir()
    (solutions / "__pycache__" / "value.cpython-311.pyc").write_bytes(b"\0junk")
    (solutions / ".ipynb_checkpoints").mkdir()
    (solutions / ".ipynb_checkpoints" / "ch1-checkpoint.ipynb").write_text("{}")
    return tmp_path


def test_assign_writes_the_student_version(course):
    report = assign(course / "solutions", course / "exercises")
    exercises = course / "exercises"
    assert sorted(p.as_posix() for p in report.written) == ["ch1.ipynb", "data/points.csv", "value.py"]
    assert sorted(p.relative_to(exercises).as_posix() for p in exercises.rglob("*") if p.is_file()) == [
        "ch1.ipynb", "data/points.csv", "value.py"]
    assert (exercises / "value.py").read_text().endswith(
        "    def double(self):\n        # YOUR CODE HERE\n        raise NotImplementedError()\n")
    assert (exercises / "data" / "points.csv").read_bytes() == b"x,y\n1,2\n"

    nb = nbformat.read(exercises / "ch1.ipynb", as_version=4)
    nbformat.validate(nb)
    sources = [cell.source for cell in nb.cells]
    assert sources == ["# Chapter 1",
                       "def square(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()",
                       "assert square(3) == 9",
                       "Why is square(-x) == square(x)?\n\nYOUR ANSWER HERE"]
    for cell in nb.cells:
        assert "execution" not in cell.metadata
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    text = (exercises / "ch1.ipynb").read_text()
    assert "square(-4)" not in text and "x * x" not in text and "sign cancels" not in text


def test_assign_is_deterministic_and_idempotent(course):
    assign(course / "solutions", course / "exercises")
    first = {p: p.read_bytes() for p in (course / "exercises").rglob("*") if p.is_file()}
    report = assign(course / "solutions", course / "exercises")
    assert report.written == [] and len(report.unchanged) == 3
    assert {p: p.read_bytes() for p in (course / "exercises").rglob("*") if p.is_file()} == first
    assert generate(course / "solutions") == generate(course / "solutions")
    assert out_of_date(course / "solutions", course / "exercises") == []


def test_cells_without_ids_get_stable_ones(course):
    path = course / "solutions" / "ch1.ipynb"
    raw = json.loads(path.read_text())
    for cell in raw["cells"]:
        del cell["id"]
    path.write_text(json.dumps(raw))
    first = generate(course / "solutions")[Path("ch1.ipynb")]
    assert first == generate(course / "solutions")[Path("ch1.ipynb")]
    assert [cell["id"] for cell in json.loads(first)["cells"]] == ["cell-1", "cell-2", "cell-3", "cell-4"]


def test_out_of_date_lists_changed_missing_and_stale_files(course):
    assign(course / "solutions", course / "exercises")
    (course / "exercises" / "value.py").write_text("solved by hand\n")
    (course / "exercises" / "data" / "points.csv").unlink()
    (course / "exercises" / "old.py").write_text("")
    assert [p.as_posix() for p in out_of_date(course / "solutions", course / "exercises")] == [
        "data/points.csv", "old.py", "value.py"]
    report = assign(course / "solutions", course / "exercises")
    assert [p.as_posix() for p in report.stale] == ["old.py"]
    assert not (course / "exercises" / "old.py").exists()
    assert out_of_date(course / "solutions", course / "exercises") == []


def test_instructor_only_files_and_caches_stay_out(course):
    solutions = course / "solutions"
    (solutions / "TA-notes.md").write_text("grade generously on chapter 2\n")
    (solutions / "answers.instructor.md").write_text("the sign cancels\n")
    (solutions / "drafts").mkdir()
    (solutions / "drafts" / "ch9.ipynb").write_text("{}")
    (solutions / "data" / "scratch.tmp").write_text("")
    (solutions / ".assign.toml").write_text('exclude = ["drafts/", "*.tmp"]  # not ready yet\n')
    report = assign(solutions, course / "exercises")
    assert sorted(p.as_posix() for p in report.written) == ["ch1.ipynb", "data/points.csv", "value.py"]
    assert sorted(p.relative_to(course / "exercises").as_posix() for p in (course / "exercises").rglob("*")) == [
        "ch1.ipynb", "data", "data/points.csv", "value.py"]


@pytest.mark.parametrize(("text", "words"), [("exclude = [", "not valid TOML"), ("exclude = 'drafts'", "exclude: expected only"),
                                             ("hide = []", "hide: expected only `exclude` and `shown`")])
def test_a_bad_config_file_is_a_clear_error(course, text, words):
    (course / "solutions" / ".assign.toml").write_text(text)
    with pytest.raises(AssignError, match=words):
        assign(course / "solutions", course / "exercises")
    assert not (course / "exercises").exists()


def test_a_deleted_file_is_removed_from_the_target_with_its_empty_folder(course):
    (course / "solutions" / "notes").mkdir()
    (course / "solutions" / "notes" / "hints.md").write_text("look at chapter 1\n")
    assign(course / "solutions", course / "exercises")
    assert (course / "exercises" / "notes" / "hints.md").is_file()
    shutil.rmtree(course / "solutions" / "notes")
    (course / "exercises" / "TA-notes.md").write_text("left over from last term\n")  # excluded now: stale there
    (course / "exercises" / ".ipynb_checkpoints").mkdir()
    (course / "exercises" / ".ipynb_checkpoints" / "ch1-checkpoint.ipynb").write_text("{}")

    dry = assign(course / "solutions", course / "exercises", dry_run=True)
    assert [p.as_posix() for p in dry.stale] == ["TA-notes.md", "notes/hints.md"] and dry.written == []
    assert (course / "exercises" / "notes" / "hints.md").is_file() and (course / "exercises" / "TA-notes.md").is_file()

    report = assign(course / "solutions", course / "exercises")
    assert report.stale == dry.stale
    assert not (course / "exercises" / "notes").exists() and not (course / "exercises" / "TA-notes.md").exists()
    assert (course / "exercises" / ".ipynb_checkpoints" / "ch1-checkpoint.ipynb").is_file()  # Jupyter's, not ours


def test_a_dry_run_writes_nothing(course):
    report = assign(course / "solutions", course / "exercises", dry_run=True)
    assert sorted(p.as_posix() for p in report.written) == ["ch1.ipynb", "data/points.csv", "value.py"]
    assert not (course / "exercises").exists()


def test_a_malformed_marker_writes_nothing(course):
    (course / "solutions" / "zeta.py").write_text("x = 1\n\n### BEGIN SOLUTION\ny = 2\n")
    with pytest.raises(MarkerError, match=r"solutions/zeta\.py, line 3: '### BEGIN SOLUTION' has no matching"):
        assign(course / "solutions", course / "exercises")
    assert not (course / "exercises").exists()


def test_notebook_marker_errors_name_the_cell_and_line(course):
    nb = make_notebook("x = 1", "y = 2\n### END HIDDEN TESTS")
    nbformat.write(nb, course / "solutions" / "ch2.ipynb")
    with pytest.raises(MarkerError, match=r"ch2\.ipynb, cell 2, line 2: '### END HIDDEN TESTS' has no"):
        generate(course / "solutions")


def test_notebook_steps_one_by_one():
    nb = executed(make_notebook("a = 1\n### BEGIN SOLUTION\nb = 2\n### END SOLUTION"))
    strip_cells(nb, "nb")
    assert nb.cells[0].source == "a = 1\n# YOUR CODE HERE\nraise NotImplementedError()"
    assert nb.cells[0].outputs  # stripping leaves outputs to its own step
    clear_outputs(nb)
    assert nb.cells[0].outputs == [] and nb.cells[0].execution_count is None
    assert validate_notebook(nb, "nb") is nb
    del nb.cells[0]["source"]
    with pytest.raises(NotebookError, match="nb: the result is not a valid notebook"):
        validate_notebook(nb, "nb")


@pytest.mark.parametrize(("text", "words"), [("{not json", "line 1: not a notebook"), ("[]", "no list of cells"),
                                             ('{"cells": [], "nbformat": 4}', "not a valid notebook")])
def test_unreadable_notebooks_are_clear_errors(text, words):
    with pytest.raises(NotebookError, match=words):
        read_notebook(text, "solutions/broken.ipynb")


def test_folders_must_exist_and_be_separate(course):
    with pytest.raises(AssignError, match="no such folder"):
        assign(course / "nowhere", course / "exercises")
    with pytest.raises(AssignError, match="separate folders"):
        assign(course / "solutions", course / "solutions" / "exercises")


def test_cli_assign_and_its_errors(course, monkeypatch):
    monkeypatch.chdir(course)
    runner = CliRunner()
    result = runner.invoke(main, ["assign"])
    assert result.exit_code == 0, result.output
    assert "exercises: 3 written, 0 unchanged, 0 removed" in result.output
    assert runner.invoke(main, ["assign"]).output.strip() == "exercises: 0 written, 3 unchanged, 0 removed"
    (course / "exercises" / "old.md").write_text("")
    result = runner.invoke(main, ["assign", "--dry-run"])
    assert result.output.splitlines() == ["would remove exercises/old.md (not generated from solutions/)",
                                          "exercises: dry run, nothing changed: 0 to write, 3 unchanged, 1 to remove"]
    assert (course / "exercises" / "old.md").exists()
    assert "removed exercises/old.md" in runner.invoke(main, ["assign"]).output
    assert not (course / "exercises" / "old.md").exists()

    (course / "solutions" / "value.py").write_text("### END SOLUTION\n")
    result = runner.invoke(main, ["assign", "solutions", "exercises"])
    assert result.exit_code == 2
    assert "solutions/value.py, line 1: '### END SOLUTION' has no '### BEGIN SOLUTION' before it" in result.output


def test_installed_command_runs_assign(course):
    done = subprocess.run([COURSEKIT, "assign", "solutions", "out"], cwd=course, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert (course / "out" / "ch1.ipynb").is_file()
    shutil.rmtree(course / "solutions")
    done = subprocess.run([COURSEKIT, "assign"], cwd=course, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip() == "Error: solutions: no such folder (expected the solutions folder)"
    help_text = subprocess.run([COURSEKIT, "assign", "--help"], capture_output=True, text=True, timeout=120).stdout
    assert "YOUR CODE HERE" in help_text
