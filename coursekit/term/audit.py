"""The term's columns of an assignment's gradebook: whose submission it is, when it came, how late.

They follow the grader's own columns, and are computed again for every row on every run (cheap,
and an extension granted after grading needs no regrade): `roster_id` ("" for a submission that
matches nobody on the roster), `submitted_at`, `submitted_from` (gradescope, timestamps or file
mtime), `deadline` (the student's own, with any extension), `days_late`, `late_penalty` (points,
taken off `total` before any manual adjustment), and `shard` when the class is graded in shards.
"""

import csv

from coursekit.files import write_atomically
from coursekit.grading.classroom import csv_text
from coursekit.term.late import assess, submitted_at

COLUMNS = ("roster_id", "submitted_at", "submitted_from", "deadline", "days_late", "late_penalty", "shard")


def add_term_columns(gradebook, students, matching=None, policy=None, timestamps=None, shard=None):
    """Rewrite `gradebook` with the term's columns; `students` maps each row's name to its submission."""
    with open(gradebook, newline="", encoding="utf-8") as file:
        reader = csv.DictReader(file)
        header = [name for name in reader.fieldnames if name not in COLUMNS]
        rows = {row["student"]: row for row in reader}
    for name, row in rows.items():
        row.update(term_columns(name, students[name], row, matching, policy, timestamps, shard))
    write_atomically(gradebook, csv_text((*header, *COLUMNS), rows))
    return rows


def term_columns(name, path, row, matching=None, policy=None, timestamps=None, shard=None):
    student = matching.students.get(name) if matching else None
    when, source = submitted_at(path, timestamps, name)
    columns = {"roster_id": student.id if student else "", "submitted_at": when.isoformat(timespec="seconds"),
               "submitted_from": source, "deadline": "", "days_late": "", "late_penalty": "",
               "shard": str(shard or "")}
    if policy is not None:
        lateness = assess(policy, student.id if student else name, when)
        penalty = lateness.penalty(float(row["total"] or 0), float(row["max_total"] or 0))
        columns.update(deadline=lateness.deadline.isoformat(timespec="minutes"), days_late=str(lateness.days_late),
                       late_penalty=f"{penalty:g}")
    return columns
