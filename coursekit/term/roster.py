"""The roster: who is in the course, and which submission is whose.

A roster is a CSV with one row per student: an id, a name, an email and a section (the column
names are configurable, so the LMS's own export can be used as it is). A submission is named by
its folder or file (`alice`, `Alice_Smith.ipynb`, `a.smith@uni.edu`) or, in a Gradescope export, by
its submitters. It matches the student whose id, email, email user or name it spells (ignoring
case, spaces, dots, dashes and underscores). Anything that does not match exactly one student is
listed, never dropped: unmatched submissions are graded and kept apart, students without a
submission are listed as missing.
"""

import csv
import re
from dataclasses import dataclass

DEFAULT_COLUMNS = {"id": "id", "name": "name", "email": "email", "section": "section"}


class RosterError(ValueError):
    """The roster cannot be read or is not a roster."""


@dataclass(frozen=True)
class Student:
    id: str
    name: str = ""
    email: str = ""
    section: str = ""
    extra: tuple = ()   # (column, value) of the roster's other columns, e.g. the LMS's own ids

    def get(self, column, default=""):
        return dict(self.extra).get(column, default)


@dataclass(frozen=True)
class Matching:
    students: dict      # submission name -> Student
    unmatched: tuple    # submission names that match nobody (or several students: see `reasons`)
    missing: tuple      # Students with no submission
    reasons: dict       # submission name -> why it is unmatched


def read_roster(path, columns=None):
    """The Students of a roster CSV, in its order; `columns` renames the id/name/email/section columns."""
    names = {**DEFAULT_COLUMNS, **(columns or {})}
    try:
        with open(path, newline="", encoding="utf-8-sig") as file:
            rows = list(csv.DictReader(file))
            header = rows and list(rows[0]) or []
    except FileNotFoundError:
        raise RosterError(f"{path}: no such roster") from None
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise RosterError(f"{path}: not a readable CSV ({error})") from None
    if not rows:
        raise RosterError(f"{path}: the roster has no students")
    if names["id"] not in header:
        raise RosterError(f"{path}: no column {names['id']!r} for the student id; the columns are {', '.join(header)}")
    students, seen = [], set()
    known = {names[key] for key in DEFAULT_COLUMNS}
    for line, row in enumerate(rows, start=2):
        student_id = (row.get(names["id"]) or "").strip()
        if not student_id:
            raise RosterError(f"{path}:{line}: the student has no {names['id']}")
        if student_id in seen:
            raise RosterError(f"{path}:{line}: the id {student_id!r} appears twice")
        seen.add(student_id)
        extra = tuple((key, value or "") for key, value in row.items() if key not in known and key is not None)
        students.append(Student(student_id, *((row.get(names[key]) or "").strip() for key in ("name", "email", "section")),
                                extra=extra))
    return tuple(students)


def spelling(text):
    """The form two spellings of a name are compared in: lower case, letters and digits only."""
    return re.sub(r"[\W_]+", "", text.casefold())


def match_submissions(names, roster, submitters=None):
    """Match submission names to the roster's students.

    `submitters` maps a submission name to the names or emails its platform recorded (Gradescope's
    submission metadata); they are tried before the submission's own name.
    """
    keys = {}
    for student in roster:
        spellings = {student.id, student.name, student.email, student.email.partition("@")[0]}
        for key in {spelling(text) for text in spellings if text}:
            keys.setdefault(key, set()).add(student)
    students, unmatched, reasons = {}, [], {}
    for name in names:
        found = set()
        for text in [*(submitters or {}).get(name, ()), name]:
            found = keys.get(spelling(text), set())
            if found:
                break
        if len(found) == 1:
            students[name] = next(iter(found))
        else:
            unmatched.append(name)
            reasons[name] = ("matches " + " and ".join(sorted(s.id for s in found)) if found
                             else "matches no student of the roster")
    submitted = {student.id for student in students.values()}
    for name in _claimed_twice(students):
        unmatched.append(name)
        reasons[name] = f"{students.pop(name).id} has another submission too: grade one of them"
    missing = tuple(student for student in roster if student.id not in submitted)
    return Matching(students, tuple(sorted(unmatched)), missing, reasons)


def _claimed_twice(students):
    owners = {}
    for name, student in students.items():
        owners.setdefault(student.id, []).append(name)
    return [name for names in owners.values() if len(names) > 1 for name in names]
