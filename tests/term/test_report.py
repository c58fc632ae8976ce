"""`coursekit report` and `grade --class --report`: the numbers behind the class report's plots."""

import json

from click.testing import CliRunner
from term_helpers import REPO

from coursekit.cli import main


def invoke(*args):
    return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)


def test_the_report_counts_failures_hints_lateness_and_grading_time(term):
    result = invoke("grade", "--class", term / "submissions", "--tests", REPO / "autograder", "--assignment", "ch1",
                    "--course", term / "course.toml", "-o", term / "ch1.csv", "--no-similarity",
                    "--report", term / "ch1-report.html")
    assert result.exit_code == 0 and f"wrote {term / 'ch1-report.html'}" in result.stdout
    result = invoke("report", term / "ch1.csv", "--json", term / "ch1.json")
    assert result.exit_code == 0, result.output
    report = json.loads((term / "ch1.json").read_text())
    assert report["students"] == 4 and report["max_score"] == 20
    assert report["failure_rate"] == {"add": 0.0, "mul": 0.25}         # grace's mul, one of four
    assert report["hints"] == {"mul's local gradients are the wrong way round: d(a*b)/da is b and d(a*b)/db is a": 1}
    assert sorted(report["days_late"]) == [0, 0, 0, 2]
    assert len(report["seconds"]) == 4 and all(0 < s < 60 for s in report["seconds"])
    assert report["summary"]["late"] == 1 and report["summary"]["highest"] == 20
    assert "<svg" in (term / "ch1-report.html").read_text()          # the default page beside it
    assert (term / "ch1-report.html").read_text().count("<figure>") == 5


def test_a_csv_that_is_no_gradebook_is_refused(term):
    (term / "other.csv").write_text("name,points\nada,3\n")
    result = invoke("report", term / "other.csv")
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {term / 'other.csv'}: not a gradebook of `coursekit grade --class` "
                             "(no student, total and max_total columns)\n")
