"""`coursekit grade` and `coursekit check` as users run them: CliRunner and the installed command."""

import csv
import json
import shutil
import xml.etree.ElementTree as ET
from datetime import datetime

import nbformat
import pytest
from click.testing import CliRunner
from grading_helpers import EXERCISE, HIDDEN_TESTS, REPO, TEST_NAMES, solution_with

from coursekit.cli import main
from coursekit.grading import find_assignments
from coursekit.grading.adjustments import GRADEBOOK_COLUMNS
from coursekit.grading.classroom import AUDIT_COLUMNS, FILE_COLUMNS, ROW_HASH

SOLUTIONS = REPO / "solutions"


def invoke(*args):
    return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)


def test_grade_prints_a_table_and_exits_0_on_full_marks(tiny_tests):
    result = invoke("grade", SOLUTIONS, "--tests", tiny_tests, "--seed", 4)
    assert result.exit_code == 0
    assert "seed 4 (re-run with --seed 4)" in result.stdout  # the instructor's report says how to replay
    assert "Total: 100 / 100" in result.stdout
    assert all(name in result.stdout for name in TEST_NAMES)


def test_grade_exits_1_when_a_test_loses_points(tiny_tests):
    result = invoke("grade", EXERCISE, "--tests", tiny_tests)
    assert result.exit_code == 1
    assert "not implemented yet" in result.stdout and "Total: 0 / 100" in result.stdout


@pytest.mark.parametrize("args, reason", [
    (["grade", "no/such/folder", "--tests", "{hidden}"], "no/such/folder: no such file or folder"),
    (["grade", "{notebook}", "--tests", "{hidden}"], "not a readable notebook"),
    (["grade", "{rubric_less}", "--tests", "{rubric_less}"], "no rubric.toml"),
    (["grade", "{notebook}"], "no tests found: give --tests"),
])
def test_unreadable_input_exits_2_with_one_line(args, reason, tmp_path, monkeypatch):
    notebook = tmp_path / "broken.ipynb"
    notebook.write_text("{not json")
    args = [arg.format(notebook=notebook, rubric_less=tmp_path, hidden=HIDDEN_TESTS / "ch1") for arg in args]
    monkeypatch.chdir(tmp_path)
    result = invoke(*args)
    assert result.exit_code == 2
    assert reason in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_bad_usage_exits_2(tmp_path):
    assert invoke("grade").exit_code == 2
    assert invoke("grade", SOLUTIONS, "--class", tmp_path).exit_code == 2
    assert invoke("grade", "--class", tmp_path).exit_code == 2  # no -o
    assert invoke("grade", SOLUTIONS, "--format", "xml").exit_code == 2


def test_a_broken_test_in_the_rubric_refuses_the_whole_rubric(tmp_path, monkeypatch):
    rubric = (HIDDEN_TESTS / "ch1" / "rubric.toml").read_text()
    (tmp_path / "ch1").mkdir()
    (tmp_path / "ch1" / "rubric.toml").write_text(
        rubric.replace("[tests.add]\npoints = 10", '[tests.add]\npoints = 10\nvisibility = "secret"'))
    monkeypatch.chdir(tmp_path)
    result = invoke("grade", SOLUTIONS, "--tests", "ch1")
    line = rubric.splitlines().index("[tests.add]") + 3  # the line of the visibility key
    assert result.exit_code == 2 and result.stdout == ""  # never graded on mul alone, out of 10 instead of 20
    assert result.stderr == (f"Error: ch1/rubric.toml:{line}: [tests.add] visibility must be one of "
                             "visible, hidden, after_due_date, after_published\n")


def test_a_broken_rubric_file_exits_2(tmp_path):
    (tmp_path / "rubric.toml").write_text("[limits]\ncase_seconds = -1\n[tests.x]\npoints = 1\ntarget = 'Value(a)'\nexamples = ['Value(1.0)']\n")
    result = invoke("grade", SOLUTIONS, "--tests", tmp_path)
    assert result.exit_code == 2 and "[limits] case_seconds must be a positive number" in result.stderr


def test_gradescope_results_follow_the_schema(tmp_path, tiny_tests):
    out = tmp_path / "results" / "results.json"
    out.parent.mkdir()
    result = invoke("grade", EXERCISE.parent / "solutions", "--tests", tiny_tests, "--format", "gradescope", "-o", out)
    assert result.exit_code == 0 and "seed" in result.stderr and result.stdout == ""
    results = json.loads(out.read_text())
    assert set(results) == {"score", "execution_time", "output", "tests"}
    assert results["score"] == 100 and isinstance(results["execution_time"], float)
    assert [test["name"] for test in results["tests"]] == list(TEST_NAMES)
    for test in results["tests"]:
        assert set(test) == {"name", "score", "max_score", "status", "output", "visibility"}
        assert test["status"] == "passed" and test["visibility"] == "visible" and test["score"] == test["max_score"]
    assert not list(out.parent.glob(".*tmp"))  # written atomically: no temporary file left


def test_gradescope_output_of_a_failing_submission(tmp_path):
    out = tmp_path / "results.json"
    result = invoke("grade", EXERCISE, "--tests", HIDDEN_TESTS, "--assignment", "ch1", "--format", "gradescope", "-o", out)
    assert result.exit_code == 1
    results = json.loads(out.read_text())
    assert results["score"] == 0 and sum(test["max_score"] for test in results["tests"]) == 20
    add = results["tests"][0]
    assert add["status"] == "failed" and "0/21 cases passed" in add["output"] and "not implemented yet" in add["output"]
    hidden = [line for test in results["tests"] for line in test["output"].splitlines() if line.startswith("hidden case")]
    assert hidden and not any("Value(" in line for line in hidden)  # hidden inputs stay hidden


def test_one_assignment_formats_need_an_assignment(tmp_path):
    result = invoke("grade", EXERCISE, "--tests", HIDDEN_TESTS, "--format", "gradescope", "-o", tmp_path / "r.json")
    assert result.exit_code == 2 and f"add --assignment (one of {', '.join(find_assignments(HIDDEN_TESTS))})" in result.stderr
    assert "no assignment 'ch9'" in invoke("grade", EXERCISE, "--tests", HIDDEN_TESTS, "--assignment", "ch9").stderr


def test_junit_is_valid_xml_with_one_testcase_per_test(make_submission, tiny_tests, tmp_path):
    out = tmp_path / "junit.xml"
    folder = make_submission(solution_with("print('hello \\x1b[31m from import')\n", relu="return Value(0.0)"))
    assert invoke("grade", folder, "--tests", tiny_tests, "--format", "junit", "-o", out).exit_code == 1
    suite = ET.parse(out).getroot().find("testsuite")
    cases = suite.findall("testcase")
    assert [case.get("name") for case in cases] == list(TEST_NAMES)
    assert suite.get("failures") == "1" and suite.get("tests") == "10"
    failed = [case for case in cases if case.find("failure") is not None]
    assert [case.get("name") for case in failed] == ["relu"]
    assert "hello" in suite.find("system-out").text


def test_json_report_holds_everything(tiny_tests):
    result = invoke("grade", EXERCISE, "--tests", tiny_tests, "--format", "json", "--seed", 9)
    report = json.loads(result.stdout)
    assert report["seed"] == 9 and report["score"] == 0 and report["passed"] is False
    assert report["tests"][0]["failures"][0]["problem"].startswith("not implemented yet")


def test_tests_default_to_the_local_autograder_folder(tmp_path, monkeypatch):
    shutil.copytree(HIDDEN_TESTS, tmp_path / "autograder")
    monkeypatch.chdir(tmp_path)
    result = invoke("grade", SOLUTIONS, "--format", "json", "--assignment", "ch1")
    assert json.loads(result.stdout)["tests_source"] == str(tmp_path / "autograder" / "ch1" / "rubric.toml")
    every = json.loads(invoke("grade", SOLUTIONS, "--format", "json").stdout)
    assert [report["assignment"] for report in every] == list(find_assignments(HIDDEN_TESTS))
    assert all(report["passed"] for report in every)


def test_check_uses_the_public_tests_on_exercises_by_default(tmp_path, monkeypatch):
    shutil.copytree(EXERCISE, tmp_path / "exercises")
    shutil.copytree(HIDDEN_TESTS, tmp_path / "autograder")  # ignored by check: public tests only
    monkeypatch.chdir(tmp_path)
    result = invoke("check")
    assert result.exit_code == 1
    assert "exercises/public-tests/ch1/rubric.toml" in result.stdout
    assert "Value(2.0) + Value(-3.0): not implemented yet" in result.stdout
    assert "hidden case" not in result.stdout
    (tmp_path / "exercises" / "value.py").write_text((SOLUTIONS / "value.py").read_text())
    assert invoke("check", "--assignment", "ch1").exit_code == 0
    assert invoke("check", "--assignment", "ch3").exit_code == 1  # its notebook is still to do
    shutil.copy(SOLUTIONS / "ch3-the-nudge-test.ipynb", tmp_path / "exercises")
    assert invoke("check", "--assignment", "ch3").exit_code == 0


def test_check_in_the_folder_of_the_work(tmp_path, monkeypatch):
    (tmp_path / "value.py").write_text((SOLUTIONS / "value.py").read_text())
    monkeypatch.chdir(tmp_path)
    missing = invoke("check")
    assert missing.exit_code == 2 and "no public-tests/ folder" in missing.stderr
    shutil.copytree(EXERCISE / "public-tests", tmp_path / "public-tests")
    assert invoke("check", "--assignment", "ch1").exit_code == 0
    assert invoke("check", "value.py", "--assignment", "ch4").exit_code == 0


def test_help_explains_every_option():
    text = invoke("grade", "--help").stdout
    for option in ("--class", "--tests", "--assignment", "--format", "--output", "--seed", "--jobs", "--force"):
        assert option in text
    assert "coursekit check" not in text and invoke("check", "--help").exit_code == 0


# -- the installed command ---------------------------------------------------------------------


def test_the_installed_command_grades_and_checks(run_coursekit, tmp_path):
    graded = run_coursekit("grade", str(SOLUTIONS), "--tests", str(HIDDEN_TESTS), "--seed", "2", "--format", "json")
    assert graded.returncode == 0, graded.stderr
    assert all(report["score"] == report["max_score"] > 0 for report in json.loads(graded.stdout))
    checked = run_coursekit("check", str(EXERCISE))
    assert checked.returncode == 1 and "not implemented yet" in checked.stdout
    broken = tmp_path / "broken.ipynb"
    broken.write_text("[]")
    failed = run_coursekit("grade", str(broken))
    assert failed.returncode == 2 and failed.stderr.startswith("Error: ") and failed.stdout == ""


# -- a class ------------------------------------------------------------------------------------


@pytest.fixture
def classroom(tmp_path):
    """A submissions folder: a full solution, an untouched exercise, a notebook, a syntax error, a broken notebook."""
    root = tmp_path / "submissions"
    shutil.copytree(SOLUTIONS, root / "ada")
    shutil.copytree(EXERCISE, root / "bob")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(solution_with(relu="return Value(0.0)"))]
    nbformat.write(notebook, root / "cleo.ipynb")
    (root / "dan.py").write_text("class Value(:\n")
    (root / "eve.ipynb").write_text("{broken")
    (root / ".DS_Store").write_text("")
    (root / "notes.txt").write_text("not a submission")
    return root


def read_rows(path):
    with open(path, newline="") as file:
        return {row["student"]: row for row in csv.DictReader(file)}


def test_grade_a_class_into_a_gradebook(classroom, tmp_path, tiny_tests):
    gradebook = tmp_path / "gradebook.csv"
    result = invoke("grade", "--class", classroom, "-o", gradebook, "-j", 2, "--tests", tiny_tests, "--seed", 5)
    assert result.exit_code == 0, result.stderr
    assert "graded 5, skipped 0 unchanged, 2 with errors (seed 5)" in result.stdout
    with open(gradebook, newline="") as file:
        assert next(csv.reader(file)) == ["student", *TEST_NAMES, "total", "max_total", "error", "similar_to", *AUDIT_COLUMNS,
                                          *FILE_COLUMNS, *GRADEBOOK_COLUMNS, ROW_HASH]
    rows = read_rows(gradebook)
    assert sorted(rows) == ["ada", "bob", "cleo", "dan", "eve"]
    assert (rows["ada"]["total"], rows["ada"]["max_total"], rows["ada"]["error"]) == ("100", "100", "")
    assert rows["bob"]["total"] == "0" and rows["bob"]["error"] == ""
    assert rows["cleo"]["relu"] == "0" and rows["cleo"]["total"] == "95"
    assert "SyntaxError" in rows["dan"]["error"] and rows["dan"]["total"] == "0"
    # an unreadable submission scores 0 on every test too, the reason in `error`
    assert "not a readable notebook" in rows["eve"]["error"]
    assert rows["eve"]["total"] == "0" and rows["eve"]["max_total"] == "100" and rows["eve"]["add"] == "0"
    for row in rows.values():
        assert row["seed"] == "5" and row["coursekit_version"] and datetime.fromisoformat(row["graded_at"])
        assert len(row["rubric_hash"]) == 16 and row["rubric_hash"] == rows["ada"]["rubric_hash"]
    assert len({rows[name]["submission_hash"] for name in ("ada", "bob", "cleo", "dan")}) == 4
    assert rows["eve"]["submission_hash"] == ""  # nothing readable to hash


def test_a_rerun_regrades_exactly_the_changed_submissions(classroom, tmp_path, tiny_tests):
    gradebook = tmp_path / "gradebook.csv"
    invoke("grade", "--class", classroom, "-o", gradebook, "--tests", tiny_tests, "--seed", 5)
    before = read_rows(gradebook)
    (classroom / "ada" / "value.py").write_text("broken(")  # resubmitted under the same name: regraded
    (classroom / "fay.py").write_text((SOLUTIONS / "value.py").read_text())  # new student
    again = invoke("grade", "--class", classroom, "-o", gradebook, "--tests", tiny_tests, "--seed", 5)
    assert "graded 4, skipped 2 unchanged" in again.stdout  # ada, fay, and the two error rows again
    rows = read_rows(gradebook)
    assert rows["ada"]["total"] == "0" and "SyntaxError" in rows["ada"]["error"] and rows["fay"]["total"] == "100"
    for name in ("bob", "cleo"):  # kept as they were, time included (the similarity review is redone every run,
        unsealed = {"similar_to": "", ROW_HASH: ""}  # and the row sealed again with it)
        assert {**rows[name], **unsealed} == {**before[name], **unsealed}
    forced = invoke("grade", "--class", classroom, "-o", gradebook, "--tests", tiny_tests, "--seed", 5, "--force")
    assert "graded 6, skipped 0" in forced.stdout


def test_a_changed_rubric_regrades_everyone_so_rows_never_mix(classroom, tmp_path, tiny_tests):
    gradebook = tmp_path / "gradebook.csv"
    invoke("grade", "--class", classroom, "-o", gradebook, "--tests", tiny_tests, "--seed", 5)
    changed = tmp_path / "changed"
    changed.mkdir()
    (changed / "rubric.toml").write_text((tiny_tests / "rubric.toml").read_text().replace("points = 30", "points = 40"))
    again = invoke("grade", "--class", classroom, "-o", gradebook, "--tests", changed, "--seed", 5)
    assert "graded 5, skipped 0" in again.stdout
    rows = read_rows(gradebook)
    assert {row["max_total"] for row in rows.values()} == {"110"}
    assert len({row["rubric_hash"] for row in rows.values()}) == 1
    reseeded = invoke("grade", "--class", classroom, "-o", gradebook, "--tests", changed, "--seed", 6)
    assert "graded 5, skipped 0" in reseeded.stdout and {row["seed"] for row in read_rows(gradebook).values()} == {"6"}


def test_students_who_left_the_folder_leave_the_gradebook(classroom, tmp_path, tiny_tests):
    gradebook = tmp_path / "gradebook.csv"
    invoke("grade", "--class", classroom, "-o", gradebook, "--tests", tiny_tests, "--seed", 5)
    shutil.rmtree(classroom / "bob")
    again = invoke("grade", "--class", classroom, "-o", gradebook, "--tests", tiny_tests, "--seed", 5)
    assert "1 rows of students no longer in" in again.stdout and "bob" not in read_rows(gradebook)


def test_format_with_class_is_refused(classroom, tmp_path, tiny_tests):
    result = invoke("grade", "--class", classroom, "-o", tmp_path / "g.csv", "--format", "json", "--tests", tiny_tests)
    assert result.exit_code == 2 and "--feedback" in result.stderr
    assert not (tmp_path / "g.csv").exists()
    alone = invoke("grade", SOLUTIONS, "--feedback", tmp_path / "fb", "--tests", tiny_tests)
    assert alone.exit_code == 2 and "--feedback goes with --class" in alone.stderr


def test_the_installed_command_grades_a_class_with_a_progress_bar(run_coursekit, classroom, tmp_path, tiny_tests):
    gradebook = tmp_path / "gradebook.csv"
    done = run_coursekit("grade", "--class", str(classroom), "-o", str(gradebook), "-j", "2", "--tests", str(tiny_tests))
    assert done.returncode == 0, done.stderr
    assert "5/5" in done.stderr  # the progress bar (on stderr) counts students
    assert len(read_rows(gradebook)) == 5


def test_each_folder_or_file_is_one_student_even_with_the_same_name(tmp_path):
    from coursekit.grading.classroom import find_students

    (tmp_path / "alice").mkdir()
    (tmp_path / "alice.py").write_text("")
    (tmp_path / "bob.ipynb").write_text("")
    (tmp_path / "_build").mkdir()
    (tmp_path / "readme.md").write_text("")
    assert sorted(find_students(tmp_path)) == ["alice", "alice.py", "bob"]


# -- a chapter notebook as the submission -------------------------------------------------------


@pytest.mark.parametrize("where", ["in the setup cell", "in a cell of its own"])
def test_a_chapter_notebook_that_defines_value_is_graded_as_value(tmp_path, tiny_tests, where):
    notebook = nbformat.read(SOLUTIONS / "ch2-more-operations.ipynb", as_version=4)
    setup = next(i for i, cell in enumerate(notebook.cells) if "from value import Value" in cell.source)
    solution = (SOLUTIONS / "value.py").read_text()
    if where == "in the setup cell":  # the import first: it used to fail the whole cell, class included
        notebook.cells[setup].source += "\n" + solution
    else:
        notebook.cells.insert(setup + 1, nbformat.v4.new_code_cell(solution))
    nbformat.write(notebook, tmp_path / "ch2.ipynb")
    result = invoke("grade", tmp_path / "ch2.ipynb", "--tests", tiny_tests)
    assert result.exit_code == 0, result.stdout
    assert "Total: 100 / 100" in result.stdout and "cannot import name" not in result.stdout
