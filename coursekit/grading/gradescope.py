"""Gradescope's side: grade whatever the student uploaded and always write a valid results.json
(an upload that cannot be graded scores 0 with a message that says what to upload, from the
rubric's `submit`).

Gradescope puts the upload in /autograder/submission and reads /autograder/results/results.json.
Students upload all sorts of things (the file itself, its folder, a zip, a renamed copy, extra
files, nothing, a PDF): coursekit.grading.finder finds the files as for `grade --class`.

    python -m coursekit.grading.gradescope [AUTOGRADER_ROOT]     (default: /autograder)
"""

import json
import os
import sys
import time
import traceback
from pathlib import Path

from coursekit.files import write_atomically
from coursekit.grading.settings import RubricError

DEFAULT_ROOT = "/autograder"

INTERNAL_ERROR = ("The autograder failed while grading your upload (a fault in the grader, not in your code), so "
                  "nothing was graded. Please tell your instructor, who has the details.")
RUBRIC_BROKEN = ("The autograder of this assignment cannot grade as it is set up, so nothing was graded. "
                 "Please tell your instructor; your upload is kept and can be graded again once it is fixed.")


class UploadError(Exception):
    """Nothing in the upload can be graded; the message tells the student what to upload."""


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    root = Path(argv[0] if argv else os.environ.get("AUTOGRADER_ROOT", DEFAULT_ROOT))
    run_autograder(root)


def run_autograder(root):
    """Grade root/submission with the tests in root/source/autograder into root/results/results.json."""
    root = Path(root)
    started = time.perf_counter()
    tests = root / "source" / "autograder"
    try:
        text = _grade_upload(root, tests)
    except UploadError as error:
        text = zero_results(str(error), tests, time.perf_counter() - started)
    except RubricError as error:  # the instructor's to fix: the student is told nothing of the rubric
        print(f"coursekit: {error}", file=sys.stderr)
        text = zero_results(RUBRIC_BROKEN, tests, time.perf_counter() - started)
    except Exception:  # whatever happens, Gradescope gets results that say so; the details go to the instructor's log
        traceback.print_exc(file=sys.stderr)
        text = zero_results(INTERNAL_ERROR, tests, time.perf_counter() - started)
    results = root / "results" / "results.json"
    write_atomically(results, text)
    return results


def _grade_upload(root, tests):
    from coursekit import grading
    from coursekit.grading.finder import what_to_submit
    from coursekit.grading.report import format_report

    student = submitter_id(root)
    plan = grading.plan_run(tests, student=student)
    try:
        report = grading.grade_plan(root / "submission", plan, student)
    except grading.SubmissionError as error:
        raise UploadError(f"{error}. {what_to_submit(plan.rubric.submit)}") from None
    return format_report(report, "gradescope")


def submitter_id(root):
    """The Gradescope id of the (first) submitter, from submission_metadata.json, or None."""
    try:
        metadata = json.loads((Path(root) / "submission_metadata.json").read_text(encoding="utf-8"))
        return str(metadata["users"][0]["id"])
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return None


# -- results that say what went wrong -------------------------------------------------------------


def zero_results(message, tests, elapsed):
    """results.json scoring 0, every test of the rubric listed (when the rubric can be read) with the message."""
    from coursekit.grading.rubric import assignment_folder, load_rubric

    try:
        specs = load_rubric(assignment_folder(tests)).tests
    except RubricError:
        specs = ()
    results = {
        "score": 0.0,
        "execution_time": round(elapsed, 3),
        "output": message,
        "tests": [{"name": spec.name, "score": 0.0, "max_score": float(spec.points), "status": "failed",
                   "output": message, "visibility": spec.visibility} for spec in specs],
    }
    return json.dumps(results, indent=2) + "\n"


if __name__ == "__main__":
    main()
