"""Grade a whole class: every folder, .py or .ipynb inside a directory is one student.

The cases are drawn once for the run (unless the rubric asks for per-student cases: then each
student's name picks theirs). Students are graded in parallel threads (the work happens in
their sandboxed child processes); the gradebook CSV is rewritten atomically after each student, so
an interrupted run loses nothing.

Every row says what produced it (seed, rubric hash, submission hash, coursekit version, when), so
a re-run knows which rows still hold: a row is kept only when the student's submission, the rubric,
the seed and coursekit's version are all unchanged and it has no error; every other student is
graded again. A row edited by hand (its row_hash no longer matches) never holds: it is graded again
and the run names it (points given by hand belong in coursekit.grading.adjustments). Rows that no
longer hold are left out of the CSV until they are regraded, so the
gradebook never mixes two rubrics. An errored row scores 0 on every test, the reason in `error`.
`similar_to` flags submissions nearly identical to another one or to coursekit's own engine
(coursekit.grading.similarity), for the instructor to review; it never changes a score.
"""

import csv
import hashlib
import io
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from coursekit import DISTRIBUTION
from coursekit.files import write_atomically
from coursekit.grading import grade_plan, plan_run
from coursekit.grading.finder import find_submission
from coursekit.grading.load import SubmissionError

# What makes a row reproducible; a row is reused only when the first four match this run.
AUDIT_COLUMNS = ("seed", "rubric_hash", "submission_hash", "coursekit_version", "graded_at")
FILE_COLUMNS = ("graded_files", "ignored_files")  # what the finder graded as each declared file, and left out
ROW_HASH = "row_hash"  # the last column: a hash of the row as coursekit wrote it, so a hand edit shows
GRADER_FAULT = ("the grader failed on this submission (a fault in the grader, not in your code), so nothing was "
                "graded; your instructor has the details")


@dataclass(frozen=True)
class ClassRun:
    gradebook: Path
    seed: int
    graded: int
    skipped: int
    errors: int
    dropped: int      # rows of students no longer in the folder
    flagged: int      # students with a similar_to flag
    edited: tuple = ()  # students whose row was edited by hand: regraded, the edit not kept


@dataclass(frozen=True)
class Graded:
    """One student's outcome: the gradebook row, and for feedback the report (None when nothing
    could be graded; its failing cases carry their pictures)."""

    row: dict
    report: object = None
    fault: bool = False  # the grader failed (the row's error is for the instructor, not the student)

    @property
    def error_for_student(self):
        """The row's error as the student's feedback says it: never a grader-internal exception."""
        return GRADER_FAULT if self.fault else self.row["error"]


def find_students(directory):
    """Each visible folder, .py, .ipynb or .zip directly inside `directory`, by student name."""
    found = {}
    for path in sorted(Path(directory).iterdir()):
        if path.name.startswith((".", "_")) or not (path.is_dir() or path.suffix.lower() in (".py", ".ipynb", ".zip")):
            continue
        name = path.stem if path.is_file() else path.name
        found[path.name if name in found else name] = path  # alice/ and alice.py: both graded
    return found


def columns(plan):
    """The gradebook's header: student, one column per test of the rubric, totals, error, audit trail."""
    tests = (spec.name for spec in plan.rubric.tests)
    return ("student", *tests, "total", "max_total", "error", "similar_to", *AUDIT_COLUMNS, *FILE_COLUMNS)


def grade_class(directory, gradebook, tests=None, jobs=2, force=False, seed=None, on_start=None, on_graded=None,
                regrade=None, similarity_report=None, given=None, assignment=None, students=None, plan=None, **limits):
    """Grade every student of `directory` into the CSV `gradebook` on one assignment.

    similarity_report: where to write the similarity review (HTML), None for no review; given: the
    folder every student started from (the exercises: its code is not counted as similar).

    on_start(number_to_grade) and on_graded(student, Graded) let a caller show progress or write
    feedback; students whose row is kept are not passed to on_graded, unless regrade(student) is
    true (feedback that was never written, say). `students` ({name: path}) grades only those
    (one shard of the class, coursekit.term.shards); default: everyone in `directory`. `plan`: the
    run's plan when the caller drew it already (then tests, seed, assignment and limits are unused).
    """
    plan = plan or plan_run(tests, seed, assignment, **limits)
    stamp = run_stamp(plan)
    students = find_students(directory) if students is None else students
    loaded = {name: read_submission(path, plan.rubric) for name, path in students.items()}
    previous = read_gradebook(gradebook)
    edited = tuple(name for name in edited_by_hand(previous) if name in students)
    previous = {} if force else previous
    rows = {name: row for name, row in previous.items()
            if name in students and name not in edited and _still_holds(row, loaded[name], stamp)}
    todo = {name: path for name, path in students.items() if name not in rows or (regrade and regrade(name))}
    if on_start:
        on_start(len(todo))
    header, errors = columns(plan), 0
    pool = ThreadPoolExecutor(max_workers=jobs)
    try:
        futures = [pool.submit(grade_student, name, path, plan, stamp, loaded[name]) for name, path in todo.items()]
        for future in as_completed(futures):
            graded = future.result()
            rows[graded.row["student"]] = graded.row
            errors += bool(graded.row["error"])
            write_atomically(gradebook, csv_text(header, rows))
            if on_graded:
                on_graded(graded.row["student"], graded)
    finally:  # on Ctrl-C: students being graded finish (within their limits), the others are not started
        pool.shutdown(cancel_futures=True)
    skeleton = skeleton_of(given, plan.rubric) if similarity_report is not None else ""
    flagged = review_similarity(loaded, rows, similarity_report, skeleton)
    write_atomically(gradebook, csv_text(header, rows))
    dropped = len(set(previous) - set(students))
    return ClassRun(Path(gradebook), plan.seed, len(todo), len(students) - len(todo), errors, dropped, flagged, edited)


def review_similarity(loaded, rows, report, skeleton):
    """Fill every row's similar_to (blank without a review) and write the report; returns how many were flagged.

    `loaded` maps each student to their Submission (or the SubmissionError that reading it raised).
    """
    marks = similar_to(loaded, skeleton, report) if report is not None else {}
    for name, row in rows.items():
        row["similar_to"] = marks.get(name, "")
    return sum(1 for name in rows if marks.get(name))


def similar_to(loaded, skeleton, report=None, student=None):
    """{student: their similar_to} of the students `loaded`, the review written to `report` (when
    given); with `student`, only that student's pairs are compared (the others' are not needed)."""
    from coursekit.grading import similarity

    sources = {name: text for name, text in ((name, source_text(found)) for name, found in loaded.items()) if text}
    pairs = similarity.similar_pairs(sources, {similarity.REFERENCE: similarity.reference_engine()}, skeleton,
                                     of=student)
    if report is not None:
        similarity.write_report(report, pairs)
    return similarity.flags(pairs)


def skeleton_of(given, rubric):
    """The code every student started from (the exercises' `given` folder), "" when there is none."""
    return source_text(read_submission(given, rubric)) if given is not None else ""


def read_submission(path, rubric):
    """The student's Submission, or the SubmissionError that says why it cannot be read."""
    try:
        return find_submission(path, rubric.submit, rubric.code_file)
    except SubmissionError as error:
        return error


def source_text(submission):
    """The student's code as text (value.py and a notebook's code cells), or "" when it cannot be read."""
    if isinstance(submission, SubmissionError):
        return ""
    return b"\n".join(submission.files[name] for name in sorted(submission.files)).decode("utf-8", errors="replace")


def run_stamp(plan):
    """The audit fields every row of this run shares."""
    return {"seed": str(plan.seed), "rubric_hash": rubric_hash(plan.rubric.folder), "coursekit_version": coursekit_version()}


def rubric_hash(folder):
    """SHA-256 (first 16 hex digits) of an assignment folder: the rubric and its reference code."""
    folder = Path(folder)
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not _hidden(p.relative_to(folder))):
        digest.update(f"{path.relative_to(folder).as_posix()}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _hidden(relative):
    return any(part.startswith(".") or part == "__pycache__" for part in relative.parts)


def coursekit_version():
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "unknown"


def submission_hash(submission):
    """The digest of what is graded (first 16 hex digits), or "" when it cannot be read."""
    return "" if isinstance(submission, SubmissionError) else submission.digest[:16]


def _still_holds(row, submission, stamp):
    if row.get("error") or any(row.get(key) != value for key, value in stamp.items()):
        return False
    return row.get("submission_hash") == submission_hash(submission) != ""


def grade_student(name, path, plan, stamp, submission):
    """Grade one student's Submission (or SubmissionError); never raises (a broken student must
    never stop the others)."""
    row = {"student": name, **stamp, "submission_hash": submission_hash(submission), **file_columns(submission)}
    if isinstance(submission, SubmissionError):
        return Graded(_zero_row(row, plan, str(submission)))
    try:
        report = grade_plan(path, plan, student=name, submission=submission)
    except Exception as error:
        return Graded(_zero_row(row, plan, f"internal error while grading: {type(error).__name__}: {error}"), fault=True)
    row.update({test.name: f"{test.score:g}" for test in report.tests})
    row.update(total=f"{report.score:g}", max_total=f"{report.max_score:g}", error=report.error or "")
    return Graded(_stamped(row), report)


def file_columns(submission):
    """graded_files ("value (1).py as value.py; ch2-more-operations.ipynb") and ignored_files of a row."""
    if isinstance(submission, SubmissionError):
        return dict.fromkeys(FILE_COLUMNS, "")
    graded = (name if Path(name).name == declared else f"{name} as {declared}" for declared, name in submission.graded)
    return {"graded_files": "; ".join(graded), "ignored_files": "; ".join(name for name, _ in submission.ignored)}


def _zero_row(row, plan, error):
    row.update({spec.name: "0" for spec in plan.rubric.tests})
    row.update(total="0", max_total=f"{sum(spec.points for spec in plan.rubric.tests):g}", error=error)
    return _stamped(row)


def _stamped(row):
    row["graded_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    return row


def read_gradebook(path):
    """The rows of an existing gradebook by student ({} when there is none yet)."""
    try:
        with open(path, newline="", encoding="utf-8") as file:
            return {row["student"]: row for row in csv.DictReader(file) if row.get("student")}
    except FileNotFoundError:
        return {}


def edited_by_hand(rows):
    """The students whose row no longer matches the row_hash coursekit wrote with it (a gradebook
    written before rows carried a hash has no such column, and nothing to check)."""
    return sorted(name for name, row in rows.items() if ROW_HASH in row and row[ROW_HASH] != row_hash(row.items()))


def row_hash(items):
    """SHA-256 (first 16 hex digits) of a row's values in the order of its columns, row_hash left out."""
    values = [value if isinstance(value, str) else repr(value) for key, value in items if key != ROW_HASH]
    return hashlib.sha256("\x1f".join(values).encode("utf-8")).hexdigest()[:16]


def csv_text(header, rows):
    """The gradebook as CSV text, each row sealed with its row_hash (the last column)."""
    header = (*(name for name in header if name != ROW_HASH), ROW_HASH)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, extrasaction="ignore", restval="")
    writer.writeheader()
    for name in sorted(rows):
        row = {column: rows[name].get(column, "") for column in header}
        row[ROW_HASH] = row_hash(row.items())
        writer.writerow(row)
    return out.getvalue()
