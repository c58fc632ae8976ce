"""Answering a regrade request: `grade --class --student` replays one row exactly, points given by hand
live beside the gradebook and survive every regrade, and a row edited by hand is found, never kept."""

import csv
import shutil

import pytest
from click.testing import CliRunner
from grading_helpers import EXERCISE, SOLUTION, solution_with

from coursekit.cli import main
from coursekit.grading.adjustments import adjusted_columns, adjustments_path
from coursekit.grading.classroom import read_gradebook
from coursekit.grading.replay import replay_student
from coursekit.term.gradebook import assignment_score

ADD_SUBTRACTS = solution_with(__add__="return Value(self.data - other.data, (self, other), (1, 1))")


@pytest.fixture
def term(tmp_path, tiny_tests, monkeypatch):
    """A class of three (full marks, add wrong, nothing readable), its rubric, graded once into gradebook.csv."""
    shutil.copytree(tiny_tests, tmp_path / "tests")
    for name, source in (("alice", SOLUTION), ("bob", ADD_SUBTRACTS)):
        (tmp_path / "class" / name).mkdir(parents=True)
        (tmp_path / "class" / name / "value.py").write_text(source)
    (tmp_path / "class" / "carol").mkdir()
    (tmp_path / "class" / "carol" / "notes.txt").write_text("I ran out of time")
    monkeypatch.chdir(tmp_path)
    assert grade_class().exit_code == 0
    return tmp_path


def invoke(*args):
    return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)


def grade_class(*more):
    return invoke("grade", "--class", "class", "--tests", "tests", "-o", "gradebook.csv", "--no-similarity", *more)


def rows():
    with open("gradebook.csv", newline="") as file:
        return {row["student"]: row for row in csv.DictReader(file)}


def test_a_replay_reproduces_every_row_byte_for_byte(term, run_coursekit):
    text = (term / "gradebook.csv").read_bytes().decode()
    for student in ("alice", "bob", "carol"):
        replay = replay_student("class", "gradebook.csv", student, "tests")
        assert replay.line in text.split("\n", 1)[1] and replay.line.startswith(f"{student},")
        assert not replay.differences and not replay.changes
    done = run_coursekit("grade", "--class", "class", "--student", "bob", "--tests", "tests", "-o", "gradebook.csv",
                         "--no-similarity", cwd=term)
    assert done.returncode == 0, done.stderr
    assert "add" in done.stdout and "Total: 80 / 100" in done.stdout  # bob's feedback
    assert done.stdout.endswith("bob: the replay reproduces the row of gradebook.csv exactly (seed 7)\n")
    assert (term / "gradebook.csv").read_bytes().decode() == text  # a replay writes nothing


def test_a_replay_says_the_rubric_changed_and_what_differs(term):
    rubric = term / "tests" / "rubric.toml"
    rubric.write_text(rubric.read_text().replace("[tests.add]\npoints = 10", "[tests.add]\npoints = 20", 1))
    before = rows()["bob"]
    result = grade_class("--student", "bob")
    assert result.exit_code == 1
    assert (f"note: the rubric changed since this row was graded (rubric_hash {before['rubric_hash']}, now "
            in result.stdout and "): the replay uses today's\n" in result.stdout)
    assert "bob: the replay differs from the row of gradebook.csv: max_total 100 -> 110, rubric_hash " in result.stdout


def test_a_replay_compares_the_student_with_the_rest_of_the_class_again(term):
    """similar_to is recomputed from the class folder, as the class run made it: reproduced while the
    class is unchanged, and named as the column that changed when a classmate's file changes."""
    (term / "class" / "dan").mkdir()
    (term / "class" / "dan" / "value.py").write_text(SOLUTION.replace("other", "that"))  # alice's, names changed
    assert invoke("grade", "--class", "class", "--tests", "tests", "-o", "gradebook.csv", "--force").exit_code == 0
    before = rows()["alice"]["similar_to"]
    assert "dan 100%" in before
    replayed = invoke("grade", "--class", "class", "--tests", "tests", "-o", "gradebook.csv", "--student", "alice")
    assert replayed.exit_code == 0 and replayed.stdout.endswith("alice: the replay reproduces the row of gradebook.csv "
                                                                "exactly (seed 7)\n")
    (term / "class" / "dan" / "value.py").write_text((EXERCISE / "value.py").read_text())  # dan starts again
    replayed = invoke("grade", "--class", "class", "--tests", "tests", "-o", "gradebook.csv", "--student", "alice")
    invoke("grade", "--class", "class", "--tests", "tests", "-o", "now.csv")  # the class run as it would be now
    after = read_gradebook("now.csv")["alice"]["similar_to"]
    assert "dan" not in after
    assert replayed.exit_code == 1 and replayed.stdout.endswith(
        f"alice: the replay differs from the row of gradebook.csv: similar_to {before} -> {after or '(empty)'}\n")
    without = grade_class("--student", "alice")  # a replay that does not review similarity, unlike the class run
    assert without.exit_code == 1 and without.stdout.endswith(f"similar_to {before} -> (empty)\n")


def test_points_given_by_hand_show_in_their_own_columns_and_survive_force(term, run_coursekit):
    done = run_coursekit("adjust", "gradebook.csv", "--student", "bob", "--test", "add", "--points", "4",
                         "--comment", "regrade request: the reflected form was right", "--by", "ta-jo", cwd=term)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ("gradebook-adjustments.csv: bob add +4 (regrade request: the reflected form was right); "
                           "gradebook.csv updated\n")
    bob = rows()["bob"]
    assert (bob["total"], bob["auto"], bob["adjustment"], bob["final"]) == ("80", "80", "4", "84")
    assert bob["comment"].startswith("add +4: regrade request: the reflected form was right (ta-jo, ")
    assert rows()["alice"]["final"] == "100" and rows()["alice"]["adjustment"] == ""
    assert grade_class("--force").exit_code == 0  # everyone graded again
    again = rows()["bob"]
    assert (again["total"], again["final"], again["comment"]) == ("80", "84", bob["comment"])
    assert assignment_score(again)[0] == 84  # the course gradebook reads final
    replay = replay_student("class", "gradebook.csv", "bob", "tests")
    assert not replay.differences and replay.line in (term / "gradebook.csv").read_bytes().decode()


def test_the_late_penalty_comes_before_the_adjustment():
    row = {"total": "80", "late_penalty": "8", "max_total": "100"}
    columns = adjusted_columns(row, [])
    assert (columns["auto"], columns["final"]) == ("72", "72")
    assert assignment_score({**row, **columns})[0] == 72


def test_an_adjustment_for_an_unknown_test_or_student_exits_2(term):
    result = invoke("adjust", "gradebook.csv", "--student", "bob", "--test", "mull", "--points", "1", "--comment", "x")
    assert result.exit_code == 2 and result.stderr.startswith(
        "Error: gradebook-adjustments.csv: test 'mull' is not a test of this gradebook (add, mul, ")
    result = invoke("adjust", "gradebook.csv", "--student", "dave", "--points", "1", "--comment", "x")
    assert result.exit_code == 2 and result.stderr == "Error: gradebook.csv: no row for 'dave'\n"
    assert not adjustments_path(term / "gradebook.csv").exists()


def test_a_row_edited_by_hand_is_named_and_graded_again(term, run_coursekit):
    text = (term / "gradebook.csv").read_bytes().decode()
    bob = next(line for line in text.splitlines() if line.startswith("bob,"))
    (term / "gradebook.csv").write_text(text.replace(bob, bob.replace(",80,100,", ",100,100,", 1)))
    assert rows()["bob"]["total"] == "100"
    refused = invoke("adjust", "gradebook.csv", "--student", "alice", "--points", "1", "--comment", "x")
    assert refused.exit_code == 2 and refused.stderr == (
        "Error: gradebook.csv: the row(s) of bob were edited by hand; grade them again with `coursekit grade --class` "
        "and give points in the adjustments file instead\n")
    done = run_coursekit("grade", "--class", "class", "--tests", "tests", "-o", "gradebook.csv", "--no-similarity",
                         cwd=term)
    assert done.returncode == 0
    assert ("bob: the gradebook row was edited by hand; graded again, the edit is not kept "
            "(give points with `coursekit adjust`)\n") in done.stdout
    assert "graded 2, skipped 1 unchanged" in done.stdout  # bob, and carol whose row has an error
    assert read_gradebook(term / "gradebook.csv")["bob"]["total"] == "80"
