"""`grade --class --student` replays a row of a term's gradebook: the roster, late policy and
timestamps of the class run are read again, so a changed late policy or a changed file shows as
the columns it changes, recorded -> replayed, the way a class run would now write them."""

import csv
import re
from datetime import timedelta

from click.testing import CliRunner
from term_helpers import CH1_DEADLINE, WRONG_MUL, handed_in

from coursekit.cli import main
from coursekit.term.shards import shard_of

RUN_COLUMNS = ("graded_at", "row_hash")  # what names the run, not the grade


def invoke(*args):
    return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)


def rows(path):
    with open(path, newline="") as file:
        return {row["student"]: row for row in csv.DictReader(file)}


def class_run(term, ch1_tests, *more):
    return ("grade", "--class", term / "submissions", "--tests", ch1_tests, "--assignment", "ch1",
            "--course", term / "course.toml", "-o", term / "ch1.csv", "--no-similarity", *more)


def differences(before, after):
    """The verdict's list of changes, made from two class runs' rows: every column that differs."""
    return ", ".join(f"{column} {before[column] or '(empty)'} -> {after[column] or '(empty)'}" for column in before
                     if column not in RUN_COLUMNS and before[column] != after[column])


def test_a_replay_with_the_class_runs_options_reproduces_the_row(term, ch1_tests, run_coursekit):
    assert invoke(*class_run(term, ch1_tests)).exit_code == 0
    text = (term / "ch1.csv").read_text()
    assert rows(term / "ch1.csv")["grace@uni.edu"]["late_penalty"] == "4"  # the replay has something to recompute
    done = run_coursekit(*map(str, class_run(term, ch1_tests, "--student", "grace@uni.edu")), cwd=term)
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(rf"grace@uni.edu: the replay reproduces the row of {re.escape(str(term / 'ch1.csv'))} exactly "
                     r"\(seed \d+\)\n$", done.stdout)
    assert (term / "ch1.csv").read_text() == text  # a replay writes nothing


def test_a_changed_late_policy_is_named_column_by_column(term, ch1_tests):
    assert invoke(*class_run(term, ch1_tests)).exit_code == 0
    before = rows(term / "ch1.csv")["grace@uni.edu"]
    course = term / "course.toml"
    course.write_text(course.read_text().replace("penalty_per_day = 10", "penalty_per_day = 30"))
    result = invoke(*class_run(term, ch1_tests, "--student", "grace@uni.edu"))
    assert result.exit_code == 1
    assert invoke(*class_run(term, ch1_tests)).exit_code == 0  # the class run under the new policy is the oracle
    after = rows(term / "ch1.csv")["grace@uni.edu"]
    total = float(before["total"])
    assert after["late_penalty"] == f"{min(total, 20 * 0.5):g}"  # two started days at 30% of 20 points, capped at 50%
    assert result.stdout.endswith(f"grace@uni.edu: the replay differs from the row of {term / 'ch1.csv'}: "
                                  f"{differences(before, after)}\n")
    assert differences(before, after).startswith("late_penalty 4 -> ")


def test_a_changed_file_is_named_column_by_column(term, ch1_tests):
    assert invoke(*class_run(term, ch1_tests)).exit_code == 0
    before = rows(term / "ch1.csv")["ada"]
    (term / "submissions" / "ada" / "value.py").write_text(WRONG_MUL)
    handed_in(term / "submissions" / "ada", CH1_DEADLINE + timedelta(days=1))  # and a day late
    result = invoke(*class_run(term, ch1_tests, "--student", "ada"))
    assert result.exit_code == 1
    assert invoke(*class_run(term, ch1_tests)).exit_code == 0
    after = rows(term / "ch1.csv")["ada"]
    changed = differences(before, after)
    assert result.stdout.endswith(f"ada: the replay differs from the row of {term / 'ch1.csv'}: {changed}\n")
    for column in ("mul", "total", "submission_hash", "submitted_at", "days_late", "late_penalty", "final"):
        assert f"{column} {before[column]} -> {after[column]}" in changed


def test_a_replay_without_the_course_file_says_which_options_it_lacks(term, ch1_tests):
    assert invoke(*class_run(term, ch1_tests)).exit_code == 0
    before = rows(term / "ch1.csv")["grace@uni.edu"]
    result = invoke("grade", "--class", term / "submissions", "--tests", ch1_tests, "--assignment", "ch1",
                    "-o", term / "ch1.csv", "--no-similarity", "--student", "grace@uni.edu")
    assert result.exit_code == 1
    assert ("note: the row has the term's columns (roster_id, late_penalty, ...) and this replay was given none of "
            "--course, --timestamps and --shard: give it those of the class run to recompute them\n") in result.stdout
    assert f"roster_id s003 -> (empty), submitted_at {before['submitted_at']} -> (empty)" in result.stdout
    auto = before["total"]
    assert result.stdout.endswith(f"auto {before['auto']} -> {auto}, final {before['final']} -> {auto}\n")


def test_a_student_outside_the_shard_cannot_be_replayed_in_it(term, ch1_tests):
    assert invoke(*class_run(term, ch1_tests)).exit_code == 0
    other = shard_of("s001", 2) % 2 + 1  # ada is s001
    result = invoke(*class_run(term, ch1_tests, "--shard", f"{other}/2", "--student", "ada"))
    assert result.exit_code == 2
    assert result.stderr == f"Error: {term / 'submissions'}: no submission of 'ada' in shard {other}/2\n"
