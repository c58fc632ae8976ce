"""The course gradebook: every assignment's gradebook, weighted, one row per student of the roster.

An assignment's score is read from its gradebook (the one `grade --class` wrote, or its shards
merged): the `final` column when there is one (manual adjustments write it: late penalty first,
then the adjustment), else `total` - `late_penalty` + `adjustment`. Every student on the roster has
a row; one with no submission scores 0 on that assignment, marked missing. Submissions that match
nobody on the roster are kept as rows of their own, marked so, and never reach the LMS export.
"""

import csv
import glob
from dataclasses import dataclass
from pathlib import Path

from coursekit.grading.classroom import edited_by_hand
from coursekit.term.course import CourseError
from coursekit.term.roster import Student, match_submissions, read_roster
from coursekit.term.shards import merge_shards


@dataclass(frozen=True)
class Mark:
    score: float
    points: float
    status: str            # "graded", "missing", "error", or "late (N days)"
    days_late: int = 0
    late_penalty: float = 0.0


@dataclass(frozen=True)
class Row:
    student: object        # roster.Student; for a submission on no roster, one with only an id
    on_roster: bool
    marks: dict            # assignment name -> Mark
    percent: float
    letter: str


@dataclass(frozen=True)
class CourseGradebook:
    course: object
    points: dict           # assignment name -> its points
    rows: tuple            # Row: the roster's order, then the submissions on no roster


def build_gradebook(course):
    roster = read_roster(course.roster, course.roster_columns)
    tables = {name: read_assignment(course, assignment) for name, assignment in course.assignments.items()}
    points = {name: _points(name, rows) for name, rows in tables.items()}
    owners = {name: _owners(rows, roster) for name, rows in tables.items()}
    rows = [_row(course, student, True, tables, owners, points) for student in roster]
    strays = sorted({key for found in owners.values() for key in found if key.startswith("?")})
    rows += [_row(course, Student(key[1:]), False, tables, owners, points) for key in strays]
    return CourseGradebook(course, points, tuple(rows))


def read_assignment(course, assignment):
    """{student: row} of an assignment's gradebook, its shards merged."""
    return read_gradebooks(gradebook_files(course, assignment))


def gradebook_files(course, assignment):
    """The assignment's gradebook, or the gradebooks of its shards (its `gradebook` is a glob)."""
    pattern = str(course.folder / assignment.gradebook)
    paths = sorted(glob.glob(pattern)) if glob.has_magic(pattern) else [pattern]
    if not paths or not Path(paths[0]).is_file():
        raise CourseError(f"{assignment.name}: no gradebook at {pattern}; write it with "
                          f"`coursekit grade --class SUBMISSIONS --assignment {assignment.name} -o {assignment.gradebook}`")
    return [Path(path) for path in paths]


def read_gradebooks(paths):
    """{student: row} of one gradebook, or of the gradebooks of every shard of one assignment."""
    return merge_shards({str(path): {row["student"]: row for row in gradebook_rows(path)} for path in paths})


def gradebook_rows(path):
    """The rows of an assignment's gradebook, as dicts; refuses a CSV that is not one."""
    with open(path, newline="", encoding="utf-8") as file:
        reader = csv.DictReader(file)
        if not {"student", "total", "max_total"} <= set(reader.fieldnames or ()):
            raise CourseError(f"{path}: not a gradebook of `coursekit grade --class` (no student, total and max_total columns)")
        rows = list(reader)
    edited = edited_by_hand({row["student"]: row for row in rows})
    if edited:  # a score nobody can trace back to the grader never reaches the course gradebook
        raise CourseError(f"{path}: the row(s) of {', '.join(edited)} were edited by hand; grade them again with "
                          "`coursekit grade --class` and give points with `coursekit adjust`")
    return rows


def assignment_score(row):
    """(score, days late, late penalty) of one gradebook row: late penalty first, then adjustments."""
    number = lambda key: float(row.get(key) or 0)  # noqa: E731
    if row.get("final"):
        score = number("final")
    else:
        score = number("total") - number("late_penalty") + number("adjustment")
    return score, int(number("days_late")), number("late_penalty")


def _points(name, rows):
    found = {row["max_total"] for row in rows.values() if row.get("max_total")}
    if len(found) > 1:
        raise CourseError(f"{name}: its gradebook mixes rubrics worth {' and '.join(sorted(found))} points; grade it again")
    return float(found.pop()) if found else 0.0


def students_of(rows, roster):
    """{submission: its Student, or None when on no roster}: the gradebook's roster_id, else matched by name."""
    by_id = {student.id: student for student in roster}
    matched = match_submissions([name for name, row in rows.items() if "roster_id" not in row], roster).students
    return {name: by_id.get(row["roster_id"]) if "roster_id" in row else matched.get(name) for name, row in rows.items()}


def _owners(rows, roster):
    """{roster id, or "?" + submission name for one on no roster: gradebook row} of one assignment."""
    return {student.id if student else f"?{name}": rows[name] for name, student in students_of(rows, roster).items()}


def _row(course, student, on_roster, tables, owners, points):
    key = student.id if on_roster else f"?{student.id}"
    marks = {name: _mark(owners[name].get(key), points[name]) for name in tables}
    weights = {name: assignment.weight for name, assignment in course.assignments.items()}
    total = sum(weights.values())
    percent = sum(weights[name] * (mark.score / mark.points if mark.points else 0) for name, mark in marks.items())
    percent = round(100 * percent / total, 2) if total else 0.0
    return Row(student, on_roster, marks, percent, course.letter(percent))


def _mark(row, points):
    if row is None:
        return Mark(0.0, points, "missing")
    score, days, penalty = assignment_score(row)
    status = "error" if row.get("error") else f"late ({days} day{'s' * (days != 1)})" if days else "graded"
    return Mark(round(max(score, 0.0), 2), points, status, days, penalty)
