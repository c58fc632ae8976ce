"""`coursekit hand-back`: each student's feedback in a folder of their own, and one zip for the LMS."""

import os
import time
import zipfile

from click.testing import CliRunner
from term_helpers import REPO

from coursekit.cli import main


def invoke(*args):
    return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)


def grade_with_feedback(term, assignment):
    result = invoke("grade", "--class", term / "submissions", "--tests", REPO / "autograder", "--assignment", assignment,
                    "--course", term / "course.toml", "-o", term / f"{assignment}.csv", "--no-similarity",
                    "--feedback", term / "feedback" / assignment)
    assert result.exit_code == 0, result.output


def test_every_student_gets_their_own_pages_in_a_folder_named_after_the_roster(term):
    (term / "course.toml").write_text((term / "course.toml").read_text().replace("ch2-shard*.csv", "ch2.csv"))
    grade_with_feedback(term, "ch1")
    grade_with_feedback(term, "ch2")
    os.remove(term / "feedback" / "ch2" / "ada.md")
    result = invoke("hand-back", term / "course.toml", "--out", term / "handback")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"{term / 'handback'}: 11 files for 3 students; {term / 'handback' / 'feedback.zip'} for the LMS",
        "not handed back: mallory on ch1 is on no roster",
        "not handed back: mallory on ch2 is on no roster",
    ]
    folders = sorted(path.name for path in (term / "handback").iterdir() if path.is_dir())
    assert folders == ["s001_Ada_Lovelace", "s002_Alan_Turing", "s003_Grace_Hopper"]  # Edsger handed nothing in
    grace = term / "handback" / "s003_Grace_Hopper"
    assert sorted(path.name for path in grace.iterdir()) == [
        "ch1-feedback.html", "ch1-feedback.md", "ch2-feedback.html", "ch2-feedback.md"]
    page = (grace / "ch1-feedback.md").read_text()
    assert page.startswith("# Feedback for grace@uni.edu")
    assert not any(other in page for other in ("ada", "Alan_Turing", "mallory"))  # only her own


def test_the_zip_holds_the_folders_with_their_real_modification_times(term):
    grade_with_feedback(term, "ch1")
    (term / "course.toml").write_text((term / "course.toml").read_text().replace(
        '[assignments.ch2]\nweight = 60\ngradebook = "ch2-shard*.csv"\n', ""))
    stamp = time.mktime((2026, 10, 5, 14, 30, 12, 0, 0, -1))  # local time, as zip entries keep it
    for page in (term / "feedback" / "ch1").iterdir():
        os.utime(page, (stamp, stamp))
    result = invoke("hand-back", term / "course.toml", "--out", term / "handback")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(term / "handback" / "feedback.zip") as bundle:
        assert bundle.testzip() is None
        names = bundle.namelist()
        assert names == sorted(names) and "s001_Ada_Lovelace/ch1-feedback.html" in names and len(names) == 6
        assert {info.date_time for info in bundle.infolist()} == {(2026, 10, 5, 14, 30, 12)}
        assert bundle.read("s002_Alan_Turing/ch1-feedback.md").decode().startswith("# Feedback for Alan_Turing")


def test_a_missing_page_is_listed_and_a_rerun_replaces_the_folder(term):
    grade_with_feedback(term, "ch1")
    (term / "course.toml").write_text((term / "course.toml").read_text().replace(
        '[assignments.ch2]\nweight = 60\ngradebook = "ch2-shard*.csv"\n', ""))
    (term / "handback" / "stale").mkdir(parents=True)
    for page in (term / "feedback" / "ch1").glob("ada.*"):
        page.unlink()
    result = invoke("hand-back", term / "course.toml", "--out", term / "handback")
    assert "no feedback page for s001 on ch1: grade it with --feedback" in result.stdout
    assert not (term / "handback" / "stale").exists() and not (term / "handback" / "s001_Ada_Lovelace").exists()
