"""The course gradebook as files: a plain CSV, JSON, and Canvas's gradebook-import CSV.

Canvas's import (Grades > Import) reads the columns Student, ID, SIS User ID, SIS Login ID and
Section, then one column per assignment, and a `Points Possible` row under the header. ID is
Canvas's own user id: the roster's `canvas_id` column when it has one, else left blank so that
Canvas matches on SIS User ID (the roster id) and SIS Login ID (the roster's `sis_login_id`
column, else the email). Submissions on no roster never reach Canvas.
"""

import csv
import io
import json

CANVAS_STUDENT_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")


def plain_csv(book):
    assignments = list(book.points)
    header = ["id", "name", "email", "section", "on_roster",
              *(f"{name}{suffix}" for name in assignments for suffix in ("", "_status")), "percent", "letter"]
    rows = []
    for row in book.rows:
        student = row.student
        marks = [value for name in assignments for value in (f"{row.marks[name].score:g}", row.marks[name].status)]
        rows.append([student.id, student.name, student.email, student.section, "yes" if row.on_roster else "no",
                     *marks, f"{row.percent:g}", row.letter])
    return _csv([header, *rows])


def canvas_csv(book):
    course = book.course
    columns = [course.assignments[name].title for name in book.points]
    rows = [list(CANVAS_STUDENT_COLUMNS) + columns,
            ["    Points Possible", "", "", "", "", *(f"{points:g}" for points in book.points.values())]]
    for row in book.rows:
        if not row.on_roster:
            continue
        student = row.student
        rows.append([student.name, student.get("canvas_id"), student.id, student.get("sis_login_id") or student.email,
                     student.section, *(f"{row.marks[name].score:g}" for name in book.points)])
    return _csv(rows)


def course_json(book):
    course = book.course
    return json.dumps({
        "course": course.title,
        "assignments": [{"name": name, "title": course.assignments[name].title, "weight": course.assignments[name].weight,
                         "points": points} for name, points in book.points.items()],
        "students": [{"id": row.student.id, "name": row.student.name, "email": row.student.email,
                      "section": row.student.section, "on_roster": row.on_roster,
                      "assignments": {name: {"score": mark.score, "points": mark.points, "status": mark.status,
                                             "days_late": mark.days_late, "late_penalty": mark.late_penalty}
                                      for name, mark in row.marks.items()},
                      "percent": row.percent, "letter": row.letter} for row in book.rows],
    }, indent=2) + "\n"


def _csv(rows):
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()
