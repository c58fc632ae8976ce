"""`coursekit gradebook`: a two-assignment term (one graded in shards), its CSV, JSON and Canvas exports."""

import csv
import json

import pytest
from click.testing import CliRunner
from term_helpers import REPO

from coursekit.cli import main


def invoke(*args):
    return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)


def grade(term, assignment, output, *more):
    result = invoke("grade", "--class", term / "submissions", "--tests", REPO / "autograder", "--assignment", assignment,
                    "--course", term / "course.toml", "-o", term / output, "--no-similarity", *more)
    assert result.exit_code == 0, result.output


@pytest.fixture
def graded_term(term):
    grade(term, "ch1", "ch1.csv")
    for shard in ("1/2", "2/2"):
        grade(term, "ch2", f"ch2-shard{shard[0]}.csv", "--shard", shard)
    return term


def read_csv(path):
    with open(path, newline="") as file:
        return list(csv.reader(file))


def test_the_canvas_import_csv_reads_back_with_the_expected_columns(graded_term):
    result = invoke("gradebook", graded_term / "course.toml", "--canvas", graded_term / "canvas.csv",
                    "--json", graded_term / "course.json")
    assert result.exit_code == 0, result.output
    assert "4 students, 2 assignments, 2 missing submissions" in result.stdout
    assert "not on the roster: mallory (kept in" in result.stdout
    header, points, *students = read_csv(graded_term / "canvas.csv")
    assert header == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "ch1", "ch2"]
    assert points[0].strip() == "Points Possible" and points[5:] == ["20", "55"]
    by_id = {row[2]: row for row in students}
    assert list(by_id) == ["s001", "s002", "s003", "s004"]  # the roster, in its order; mallory is left out
    assert by_id["s004"][5:] == ["0", "0"]                   # Edsger handed nothing in
    assert by_id["s001"][:5] == ["Ada Lovelace", "", "s001", "ada@uni.edu", "A"]
    assert float(by_id["s001"][5]) == 20
    ch1 = {row["student"]: row for row in csv.DictReader(open(graded_term / "ch1.csv"))}
    assert float(by_id["s003"][5]) == pytest.approx(float(ch1["grace@uni.edu"]["total"]) - 4)  # two days late: 20% of 20 points


def test_every_student_has_a_row_and_missing_work_is_marked(graded_term):
    invoke("gradebook", graded_term / "course.toml", "--json", graded_term / "course.json")
    rows = {row["id"]: row for row in csv.DictReader(open(graded_term / "course-gradebook.csv"))}
    assert list(rows) == ["s001", "s002", "s003", "s004", "mallory"]
    assert rows["s004"]["ch1_status"] == "missing" and rows["s004"]["percent"] == "0" and rows["s004"]["letter"] == "F"
    assert rows["mallory"]["on_roster"] == "no"
    assert rows["s003"]["ch1_status"] == "late (2 days)"
    book = json.loads((graded_term / "course.json").read_text())
    ada = book["students"][0]
    weighted = 100 * (0.4 * ada["assignments"]["ch1"]["score"] / 20 + 0.6 * ada["assignments"]["ch2"]["score"] / 55)
    assert ada["percent"] == pytest.approx(weighted, abs=0.01)
    assert book["assignments"][1] == {"name": "ch2", "title": "ch2", "weight": 60.0, "points": 55.0}


def test_a_final_column_from_manual_adjustments_wins(graded_term):
    adjusted = invoke("adjust", graded_term / "ch1.csv", "--student", "ada", "--points", "1", "--comment", "a fair point")
    assert adjusted.exit_code == 0, adjusted.output
    ada = next(row for row in csv.DictReader(open(graded_term / "ch1.csv")) if row["student"] == "ada")
    assert float(ada["final"]) == float(ada["total"]) - float(ada["late_penalty"] or 0) + 1
    invoke("gradebook", graded_term / "course.toml")
    rows = {row["id"]: row for row in csv.DictReader(open(graded_term / "course-gradebook.csv"))}
    assert float(rows["s001"]["ch1"]) == float(ada["final"])


def test_a_missing_shard_is_refused(graded_term):
    (graded_term / "ch2-shard2.csv").unlink()
    result = invoke("gradebook", graded_term / "course.toml")
    assert result.exit_code == 2
    assert result.stderr in ("Error: shard 2/2 missing: grade it with --shard before merging\n",
                             "Error: shard 1/2 missing: grade it with --shard before merging\n")


def test_a_gradebook_edited_by_hand_never_reaches_the_course_gradebook(graded_term):
    rows = read_csv(graded_term / "ch1.csv")
    total = rows[0].index("total")
    rows[1][total] = str(float(rows[1][total]) + 1)  # a spreadsheet's "small fix"
    with open(graded_term / "ch1.csv", "w", newline="") as file:
        csv.writer(file).writerows(rows)
    result = invoke("gradebook", graded_term / "course.toml")
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {graded_term / 'ch1.csv'}: the row(s) of {rows[1][0]} were edited by hand; grade "
                             "them again with `coursekit grade --class` and give points with `coursekit adjust`\n")


def test_an_assignment_never_graded_says_how_to_grade_it(term):
    result = invoke("gradebook", term / "course.toml")
    assert result.exit_code == 2
    assert result.stderr == (f"Error: ch1: no gradebook at {term}/ch1.csv; write it with "
                             "`coursekit grade --class SUBMISSIONS --assignment ch1 -o ch1.csv`\n")


def test_the_report_of_a_sharded_assignment_merges_its_shards(graded_term):
    result = invoke("report", graded_term / "course.toml", "--assignment", "ch2", "--json", graded_term / "ch2.json")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {graded_term / 'ch2-report.html'}\nwrote {graded_term / 'ch2.json'}\n"
    report = json.loads((graded_term / "ch2.json").read_text())
    assert report["title"] == "ch2" and report["students"] == 4 and len(report["seconds"]) == 4
    assert set(report["failure_rate"]) == {"pow", "log", "exp", "relu", "neg", "sub", "div", "softplus"}
    assert invoke("report", graded_term / "ch1.csv", "--assignment", "ch1").exit_code == 2
