"""`coursekit assign --validate` on the real course and on broken copies of it."""

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from coursekit.cli import main
from coursekit.course.assign import assign
from coursekit.course.kernel import run_notebook
from coursekit.course.validate import check_notebook_pair, validate
from coursekit.grading import find_assignments

ROOT = Path(__file__).resolve().parents[2]
COURSEKIT = Path(sys.executable).with_name("coursekit")


def test_the_course_validates_quietly():
    done = subprocess.run([COURSEKIT, "assign", "--validate", "--no-notebooks"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")  # nothing to say when nothing is wrong


def test_the_course_validates_with_every_check_listed():
    done = subprocess.run([COURSEKIT, "assign", "--validate", "--no-notebooks", "--seed", "7", "--verbose"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    both = 2 * len(find_assignments(ROOT / "autograder"))  # every assignment, its hidden tests and its public tests
    assert done.stdout.count("passes every test") == both and done.stdout.count("fails every test") == both
    assert done.stdout.count("every known mistake is caught by") == both  # the public ones carry their hints too
    assert done.stdout.count("the public examples show every kind of hidden case") == both // 2
    assert "FAIL" not in done.stdout and "warn" not in done.stdout


@pytest.fixture
def course_copy(tmp_path):
    for folder in ("solutions", "exercises", "autograder"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def test_an_operation_left_outside_a_solution_region_is_caught(course_copy):
    value = course_copy / "solutions" / "value.py"
    source = value.read_text()
    start = source.index("    def relu")
    end = source.index("    def __neg__")
    value.write_text(source[:start] + source[start:end].replace("        ### BEGIN SOLUTION\n", "")
                     .replace("        ### END SOLUTION\n", "") + source[end:])
    assign(course_copy / "solutions", course_copy / "exercises")
    verdicts = validate(course_copy / "solutions", course_copy / "exercises", notebooks=False, seed=1)
    failing = [v for v in verdicts if not v.ok]
    assert failing and all(v.subject.startswith(str(course_copy / "exercises")) for v in failing)
    assert all("passes relu without any work" in v.got for v in failing)


def test_stale_exercises_and_a_broken_solution_fail_validation(course_copy, monkeypatch):
    value = course_copy / "solutions" / "value.py"
    value.write_text("# edited after the last assign\n" + value.read_text().replace(
        "(other.data, self.data)", "(self.data, other.data)"))
    monkeypatch.chdir(course_copy)
    result = CliRunner().invoke(main, ["assign", "--validate", "--no-notebooks", "--seed", "3"])
    assert result.exit_code == 1
    assert "differs in value.py" in result.output and "fails mul" in result.output


def test_an_exercise_notebook_that_runs_through_is_caught(tmp_path):
    for folder, body in (("solutions", "x = 1\n### BEGIN SOLUTION\ny = 2\n### END SOLUTION"),
                         ("exercises", "x = 1\ny = 2")):  # as if the markers had been forgotten
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(body, metadata={"tags": ["exercise"]})]
        (tmp_path / folder).mkdir()
        nbformat.write(nb, tmp_path / folder / "ch9.ipynb")
    solved, stopped = check_notebook_pair(tmp_path / "solutions" / "ch9.ipynb", tmp_path / "exercises" / "ch9.ipynb")
    assert solved.ok and solved.got == "ran every cell"
    assert not stopped.ok and stopped.expected == "stops at cell 1 with NotImplementedError"
    assert stopped.got == "ran every cell"


def test_a_mistake_its_hint_does_not_catch_and_a_broken_test_fail_validation(course_copy):
    rubric = course_copy / "autograder" / "ch1" / "rubric.toml"
    text = rubric.read_text()
    harmless = '\n[[tests.mul.mistakes]]\nhint = "not a mistake at all"\ncode = "x = 1"\n'
    broken = text.replace("[tests.add]\npoints = 10", "[tests.add]\npoints = 10\nweight = 2")
    rubric.write_text(broken + harmless)
    line = broken.splitlines().index("weight = 2") + 1
    verdicts = [v for v in validate(course_copy / "solutions", course_copy / "exercises", notebooks=False)
                if not v.ok and "autograder/ch1" in v.subject]
    got = " ".join(v.got for v in verdicts)
    assert f"rubric.toml:{line}: [tests.add] has unknown key(s) ['weight']" in got
    assert "[tests.mul] mistake 2 (not a mistake at all) passes every case" in got


def test_a_notebook_runs_without_a_word_on_stderr(tmp_path, capfd):
    """The kernel talks over a private socket: no warning about unencrypted TCP, whatever the count of notebooks."""
    notebook = tmp_path / "one.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")]), notebook)
    for _ in range(2):
        run = run_notebook(notebook)
        assert run.error is None and run.notebook.cells[0].outputs[0]["text"] == "42\n"
    assert capfd.readouterr().err == ""
    assert sorted(path.name for path in tmp_path.iterdir()) == ["one.ipynb"]  # no socket files left beside it


def test_a_kind_of_case_only_the_hidden_tests_have_is_a_warning(course_copy, monkeypatch):
    rubric = course_copy / "autograder" / "ch2" / "rubric.toml"
    rubric.write_text(rubric.read_text().replace('"Value(-2.0).relu()",\n            "Value(0.0).relu()"]', '"Value(-2.0).relu()"]'))
    monkeypatch.chdir(course_copy)
    assert CliRunner().invoke(main, ["assign", "solutions", "exercises"]).exit_code == 0
    result = CliRunner().invoke(main, ["assign", "--validate", "--no-notebooks", "--assignment", "ch2"])
    assert result.exit_code == 0, result.output  # a warning: the assignment can still be graded
    assert "warn" in result.output and "FAIL" not in result.output
    [verdict] = [v for v in validate(course_copy / "solutions", course_copy / "exercises", notebooks=False,
                                     assignment="ch2") if "kind of hidden case" in v.expected]
    assert (verdict.ok, verdict.warning) == (False, True)
    assert verdict.got == ("[tests.relu] no example is of the kind of the boundary Value(0.0).relu(); [tests.relu] only "
                           "hidden cases catch the mistake: relu's gradient at 0 must be 0: test data > 0, not >= 0")


def test_a_test_without_examples_is_a_warning(course_copy):
    rubric = course_copy / "autograder" / "ch6" / "rubric.toml"
    text = rubric.read_text()
    start = text.index("examples", text.index("[tests.linear]"))
    rubric.write_text(text[:start] + text[text.index("\n", start) + 1:])
    [verdict] = [v for v in validate(course_copy / "solutions", course_copy / "exercises", notebooks=False,
                                     assignment="ch6") if "kind of hidden case" in v.expected]
    assert (verdict.ok, verdict.warning) == (False, True)
    assert verdict.got == "[tests.linear] has no example: %check does not run it"
