"""The golden test: realistic, partly wrong submissions graded on every chapter of the course must
get exactly the scores, problems, hints, notes, Gradescope JSON, feedback and pictures recorded in
golden/expectations.json. It pins the grader's behaviour while its structure changes.

Record again only when a change of behaviour is meant (and say so in the commit):
    .venv/bin/python tests/grading/test_golden.py --record
"""

import csv
import hashlib
import io
import json
import sys
from dataclasses import asdict
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).with_name("golden")
SUBMISSIONS = GOLDEN / "submissions"
EXPECTATIONS = GOLDEN / "expectations.json"
VOLATILE_COLUMNS = ("graded_at", "coursekit_version", "row_hash")  # the gradebook's columns that name the run, not the grade


def sha256(text):
    return hashlib.sha256(text.encode()).hexdigest()


def observe_submission(path, plan):
    """What a student and an instructor see of one grading, with the run's timings left out."""
    from coursekit.grading import grade_plan
    from coursekit.grading.feedback import feedback_markdown
    from coursekit.grading.report import format_report

    report = grade_plan(path, plan)
    gradescope = json.loads(format_report(report, "gradescope"))
    del gradescope["execution_time"]
    pictures = [picture_numbers(outcome.picture) for test in report.tests for outcome in test.failures
                if outcome.picture is not None]
    return {
        "score": report.score,
        "max_score": report.max_score,
        "error": report.error,
        "notes": list(report.notes),
        "tests": {test.name: [test.score, test.passed, test.total] for test in report.tests},
        "failures": {test.name: [[result.label, result.problem, result.hint] for result in test.failures]
                     for test in report.tests if test.failures},
        "gradescope_sha256": sha256(json.dumps(gradescope, sort_keys=True)),
        "feedback_sha256": sha256(feedback_markdown(path.stem, report)),
        "pictures_sha256": sha256(json.dumps(pictures, sort_keys=True)),
        "pictures": len(pictures),
    }


def picture_numbers(picture):
    """A failing case's picture as plain JSON data: what is drawn, and what is marked wrong."""
    numbers = asdict(picture)
    numbers["wrong_edges"] = sorted([*edge, expected] for edge, expected in picture.wrong_edges.items())
    numbers["wrong_grads"] = sorted([node, expected] for node, expected in picture.wrong_grads.items())
    numbers["wrong_data"] = sorted([node, expected] for node, expected in picture.wrong_data.items())
    return numbers


def observe_class(tests, scratch):
    """The gradebook of the whole golden class on one assignment, without the run's time and version."""
    from coursekit.grading.classroom import grade_class

    gradebook = scratch / "gradebook.csv"
    grade_class(SUBMISSIONS, gradebook, tests, jobs=2)
    rows = list(csv.DictReader(io.StringIO(gradebook.read_text())))
    for row in rows:
        for column in VOLATILE_COLUMNS:
            row.pop(column)
    return {"rows": len(rows), "gradebook_sha256": sha256(json.dumps(rows, sort_keys=True)),
            "totals": {row["student"]: row["total"] for row in rows}}


def observe(scratch):
    from coursekit.grading import find_assignments, plan_run

    seen = {}
    for assignment, tests in find_assignments(REPO / "autograder").items():
        plan = plan_run(tests)
        for path in sorted(SUBMISSIONS.iterdir()):
            seen[f"{path.name} on {assignment}"] = observe_submission(path, plan)
    seen["class on ch1"] = observe_class(REPO / "autograder" / "ch1", scratch)
    return seen


@pytest.fixture(scope="module")
def observed(tmp_path_factory):
    return observe(tmp_path_factory.mktemp("golden"))


def expected():
    """The recorded observations ({} before the first recording: the coverage test then fails)."""
    return json.loads(EXPECTATIONS.read_text()) if EXPECTATIONS.is_file() else {}


@pytest.mark.parametrize("key", sorted(expected()))
def test_golden(observed, key):
    assert observed[key] == expected()[key]


def test_the_golden_set_covers_every_chapter_and_kind_of_failure(observed):
    """The set is worth its time only if it grades every chapter and meets hints, errors and pictures."""
    grades = [value for key, value in expected().items() if not key.startswith("class")]
    from coursekit.grading import find_assignments

    assert {key.split(" on ")[1] for key in expected()} == set(find_assignments(REPO / "autograder"))
    assert sorted(observed) == sorted(expected())
    hints = [hint for grade in grades for failures in grade["failures"].values() for _, _, hint in failures if hint]
    assert len(set(hints)) >= 5
    assert any(grade["error"] for grade in grades) and any(grade["notes"] for grade in grades)
    assert any(grade["score"] == grade["max_score"] > 0 for grade in grades)
    assert sum(grade["pictures"] for grade in grades) > 0


def test_the_json_report_says_of_a_failing_case_what_it_always_said():
    """A failing case's numbers and picture serve the feedback; the JSON report keeps its fields."""
    from coursekit.grading import grade
    from coursekit.grading.report import format_report

    report = json.loads(format_report(grade(SUBMISSIONS / "swapped_mul", REPO / "autograder" / "ch1"), "json"))
    (mul,) = [test for test in report["tests"] if test["name"] == "mul"]
    assert mul["failures"][0] == {
        "test": "mul", "label": "Value(2.0) * Value(-3.0)", "public": True, "passed": False,
        "problem": "local gradients: expected (-3, 2), got (2, -3)",
        "hint": "mul's local gradients are the wrong way round: d(a*b)/da is b and d(a*b)/db is a"}


if __name__ == "__main__" and sys.argv[1:] == ["--record"]:
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        EXPECTATIONS.write_text(json.dumps(observe(Path(scratch)), indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    print(f"recorded {EXPECTATIONS}")
