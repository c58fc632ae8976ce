"""`grade --class` with a course file (roster and late policy) and in shards, on real submission folders."""

import csv

import pytest
from click.testing import CliRunner

from coursekit.cli import main
from coursekit.term.shards import ShardError, merge_shards, parse_shard, shard_of


def invoke(*args):
    return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)


def rows(path):
    with open(path, newline="") as file:
        return {row["student"]: row for row in csv.DictReader(file)}


def test_the_roster_and_late_policy_fill_the_term_columns(term, ch1_tests):
    gradebook = term / "ch1.csv"
    result = invoke("grade", "--class", term / "submissions", "--tests", ch1_tests, "--assignment", "ch1",
                    "--course", term / "course.toml", "-o", gradebook, "--no-similarity")
    assert result.exit_code == 0, result.output
    assert "not on the roster: mallory (matches no student of the roster); graded, with an empty roster_id" in result.stdout
    assert "no submission: s004 Edsger Dijkstra" in result.stdout
    book = rows(gradebook)
    columns = {name: (row["roster_id"], row["days_late"], row["late_penalty"], row["total"]) for name, row in book.items()}
    assert columns == {
        "ada": ("s001", "0", "0", "20"),
        "Alan_Turing": ("s002", "0", "0", "20"),      # a day late, but he has two more days
        "grace@uni.edu": ("s003", "2", "4", book["grace@uni.edu"]["total"]),  # 20% of 20 points: two started days
        "mallory": ("", "0", "0", "20"),
    }
    assert float(book["grace@uni.edu"]["total"]) < 20  # her mul is wrong
    assert book["Alan_Turing"]["deadline"] == "2026-10-04T23:59+02:00"
    assert {row["submitted_from"] for row in book.values()} == {"file mtime"}
    header = next(csv.reader(open(gradebook)))
    assert header[-12:] == ["roster_id", "submitted_at", "submitted_from", "deadline", "days_late", "late_penalty", "shard",
                            "auto", "adjustment", "final", "comment", "row_hash"]  # the late penalty, then adjustments


def test_an_extension_granted_after_grading_needs_no_regrade(term, ch1_tests):
    args = ("grade", "--class", term / "submissions", "--tests", ch1_tests, "--assignment", "ch1",
            "--course", term / "course.toml", "-o", term / "ch1.csv", "--no-similarity")
    invoke(*args)
    course = term / "course.toml"
    course.write_text(course.read_text().replace("extensions = { s002 = 2 }", "extensions = { s002 = 2, s003 = 3 }"))
    result = invoke(*args)
    assert "graded 0, skipped 4 unchanged" in result.stdout
    assert rows(term / "ch1.csv")["grace@uni.edu"]["late_penalty"] == "0"


@pytest.mark.parametrize("args, message", [
    (["--shard", "4/3"], "Error: --shard must be K/N with 1 <= K <= N (e.g. 3/8), got '4/3'"),
    (["--course", "{course}"], "Error: --course needs --assignment: the course file's late policy is per assignment"),
    (["--course", "{course}", "--assignment", "ch9"],
     "Error: the course file has no [assignments.ch9]; it has ch1, ch2"),
])
def test_bad_term_options_exit_2_with_one_line(term, ch1_tests, args, message):
    args = [arg.format(course=term / "course.toml") for arg in args]
    result = invoke("grade", "--class", term / "submissions", "--tests", ch1_tests, "-o", term / "x.csv",
                    "--no-similarity", *args)
    assert result.exit_code == 2 and result.stderr == message + "\n"
    assert not (term / "x.csv").exists()


def test_shards_grade_every_student_once_and_merge_back(term, ch1_tests, run_coursekit):
    tables = {}
    for index in (1, 2, 3):
        out = term / f"ch1-shard{index}.csv"
        result = run_coursekit("grade", "--class", str(term / "submissions"), "--tests", str(ch1_tests),
                               "--assignment", "ch1", "--course", str(term / "course.toml"), "--shard", f"{index}/3",
                               "-o", str(out), "--no-similarity")
        assert result.returncode == 0, result.stderr
        tables[out.name] = rows(out)
    graded = [name for table in tables.values() for name in table]
    assert sorted(graded) == ["Alan_Turing", "ada", "grace@uni.edu", "mallory"]
    for name, table in tables.items():
        assert {row["shard"] for row in table.values()} <= {f"{name[-5]}/3"}
    assert set(merge_shards(tables)) == set(graded)


def test_a_shard_holds_the_same_students_whoever_else_is_in_the_folder():
    ids = [f"s{n:03}" for n in range(200)]
    shards = [parse_shard(f"{k}/4") for k in (1, 2, 3, 4)]
    assert all(sum(shard.holds(i) for shard in shards) == 1 for i in ids)
    assert min(sum(shard.holds(i) for i in ids) for shard in shards) > 30  # roughly even
    assert shard_of("s007", 4) == shard_of("s007", 4)


def _table(shard, *students):
    return {s: {"student": s, "roster_id": s, "shard": shard} for s in students}


def _split(count):
    shards = {k: [] for k in range(1, count + 1)}
    for n in range(12):
        shards[shard_of(f"s{n}", count)].append(f"s{n}")
    return {f"ch1-{k}.csv": _table(f"{k}/{count}", *names) for k, names in shards.items()}


def test_merging_refuses_gaps_overlaps_and_strays():
    tables = _split(3)
    assert len(merge_shards(tables)) == 12
    with pytest.raises(ShardError, match=r"^shard 2/3 missing: grade it with --shard before merging$"):
        merge_shards({k: v for k, v in tables.items() if k != "ch1-2.csv"})
    one = next(iter(tables["ch1-1.csv"]))
    other = dict(tables["ch1-2.csv"], **{one: {**tables["ch1-1.csv"][one], "shard": "2/3"}})
    with pytest.raises(ShardError, match=rf"^{one} is in two shards: ch1-1.csv and ch1-2.csv$"):
        merge_shards({**tables, "ch1-2.csv": other})
    with pytest.raises(ShardError, match=r"^the shards split the class in different ways \(1/3, 2/3, 3/3, 4/4\)$"):
        merge_shards({**tables, "ch1-4.csv": _table("4/4", "s1")})


def test_a_shard_with_no_students_fills_one_gap():
    tables = _split(3)
    assert len(merge_shards({**tables, "ch1-2.csv": {}})) == 12 - len(tables["ch1-2.csv"])
    with pytest.raises(ShardError, match=r"^shard 2/3, 3/3 missing"):
        merge_shards({"ch1-1.csv": tables["ch1-1.csv"], "ch1-2.csv": {}})
    stray = {**tables["ch1-1.csv"], "s99": {"student": "s99", "roster_id": "s99", "shard": "1/3"}}
    if shard_of("s99", 3) != 1:
        with pytest.raises(ShardError, match=r"ch1-1.csv: s99 belongs to shard \d/3, not 1/3"):
            merge_shards({**tables, "ch1-1.csv": stray})


def test_a_timestamps_csv_says_when_each_submission_came(term, ch1_tests):
    (term / "times.csv").write_text("submission,submitted_at\nada,2026-10-03 09:00\nmallory,2026-10-02T23:59:00+02:00\n")
    result = invoke("grade", "--class", term / "submissions", "--tests", ch1_tests, "--assignment", "ch1",
                    "--course", term / "course.toml", "--timestamps", term / "times.csv", "-o", term / "ch1.csv",
                    "--no-similarity")
    assert result.exit_code == 0, result.output
    book = rows(term / "ch1.csv")
    assert (book["ada"]["submitted_at"], book["ada"]["submitted_from"], book["ada"]["days_late"]) == \
        ("2026-10-03T09:00:00+02:00", "timestamps", "1")   # the course's time zone; 9 h 1 min late
    assert (book["mallory"]["submitted_from"], book["mallory"]["days_late"]) == ("timestamps", "0")  # exactly at it
    assert book["grace@uni.edu"]["submitted_from"] == "file mtime"
