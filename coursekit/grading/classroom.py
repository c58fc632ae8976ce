"""Grade a whole class: every folder, .py or .ipynb inside a directory is one student.

The cases are drawn once for the run, so every student gets the same ones (unless the rubric
asks for per-student cases: then each student's name picks theirs). Students are graded
in parallel threads (the work happens in their sandboxed child processes); the gradebook CSV is
rewritten atomically after each student, so an interrupted run loses nothing, and a re-run skips
the students already graded (those without an error) unless `force`.
"""

import csv
import io
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from coursekit.files import write_atomically
from coursekit.grading import grade_plan, plan_run
from coursekit.grading.load import SubmissionError


def gradebook_columns(plan):
    """student, one column per test of the assignment's rubric, total, max_total, error."""
    return ("student", *(test.spec.name for test in plan.tests), "total", "max_total", "error")


@dataclass(frozen=True)
class ClassRun:
    gradebook: Path
    seed: int
    graded: int
    skipped: int
    errors: int


def find_students(directory):
    """Each visible folder, .py or .ipynb directly inside `directory`, by student name."""
    found = {}
    for path in sorted(Path(directory).iterdir()):
        if path.name.startswith((".", "_")) or not (path.is_dir() or path.suffix in (".py", ".ipynb")):
            continue
        name = path.stem if path.is_file() else path.name
        found[path.name if name in found else name] = path  # alice/ and alice.py: both graded
    return found


def grade_class(directory, gradebook, tests=None, jobs=2, force=False, seed=None, on_start=None, on_graded=None,
                assignment=None, **limits):
    """Grade every student of `directory` into the CSV `gradebook` on one assignment.

    on_start(number_to_grade) and on_graded(student, row) let a caller show progress.
    """
    plan = plan_run(tests, seed, assignment, **limits)
    columns = gradebook_columns(plan)
    rows = {} if force else read_gradebook(gradebook)
    students = find_students(directory)
    todo = {name: path for name, path in students.items() if name not in rows or rows[name].get("error")}
    if on_start:
        on_start(len(todo))
    errors = 0
    pool = ThreadPoolExecutor(max_workers=jobs)
    try:
        futures = [pool.submit(_grade_row, name, path, plan, columns) for name, path in todo.items()]
        for future in as_completed(futures):
            row = future.result()
            rows[row["student"]] = row
            errors += bool(row["error"])
            write_atomically(gradebook, _csv_text(rows, columns))
            if on_graded:
                on_graded(row["student"], row)
    finally:  # on Ctrl-C: students being graded finish (within their limits), the others are not started
        pool.shutdown(cancel_futures=True)
    if not todo:
        write_atomically(gradebook, _csv_text(rows, columns))
    return ClassRun(Path(gradebook), plan.seed, len(todo), len(students) - len(todo), errors)


def _grade_row(name, path, plan, columns):
    row = {column: "" for column in columns}
    row["student"] = name
    try:
        report = grade_plan(path, plan, student=name)
    except SubmissionError as error:
        row["error"] = str(error)
        return row
    except Exception as error:  # a broken student must never stop the others
        row["error"] = f"internal error while grading: {type(error).__name__}: {error}"
        return row
    row.update({test.name: f"{test.score:g}" for test in report.tests})
    row.update(total=f"{report.score:g}", max_total=f"{report.max_score:g}", error=report.error or "")
    return row


def read_gradebook(path):
    """The rows of an existing gradebook by student ({} when there is none yet)."""
    try:
        with open(path, newline="", encoding="utf-8") as file:
            return {row["student"]: row for row in csv.DictReader(file) if row.get("student")}
    except FileNotFoundError:
        return {}


def _csv_text(rows, columns):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", restval="")
    writer.writeheader()
    for name in sorted(rows):
        writer.writerow(rows[name])
    return out.getvalue()
