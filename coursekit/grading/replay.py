"""`grade --class DIR --student NAME`: grade one student again exactly as their gradebook row was graded.

The replay draws the cases with the row's seed (and, for per-student cases, the student's name),
grades the submission found in DIR, and rebuilds the row as the gradebook holds it: the grader's
columns from this run, the rest (when it was graded, the term's columns, similar_to) carried from
the row, the adjustments applied again. Before the result it says what is no longer as it was
(the rubric, coursekit's version); a row reproduced byte for byte is the proof that a score stands.
"""

from dataclasses import dataclass

from coursekit.grading import plan_run
from coursekit.grading.adjustments import GRADEBOOK_COLUMNS, adjusted_columns, read_adjustments, test_columns
from coursekit.grading.classroom import (
    ROW_HASH,
    csv_text,
    find_students,
    grade_student,
    read_gradebook,
    read_submission,
    run_stamp,
)


class ReplayError(ValueError):
    """The student has no row in the gradebook, or no submission in the folder."""


@dataclass(frozen=True)
class Replay:
    student: str
    report: object        # the GradeReport, None when the submission could not be read
    header: tuple         # the gradebook's columns
    row: dict             # the row as this replay makes it
    recorded: dict        # the row as the gradebook holds it
    changes: tuple        # what is not as it was when the row was graded (sentences)

    @property
    def differences(self):
        """(column, recorded, replayed) for every column the replay does not reproduce."""
        return tuple((column, self.recorded.get(column, ""), self.row.get(column, "")) for column in self.header
                     if column != ROW_HASH and self.recorded.get(column, "") != self.row.get(column, ""))

    @property
    def line(self):
        """The row as one CSV line, as the gradebook file holds it."""
        return csv_text(self.header, {self.student: self.row}).split("\n", 1)[1]


def replay_student(directory, gradebook, name, tests=None, assignment=None):
    """The Replay of student `name` of `directory` against their row of `gradebook`."""
    rows = read_gradebook(gradebook)
    if name not in rows:
        raise ReplayError(f"{gradebook}: no row for {name!r} (its students: {', '.join(sorted(rows)) or 'none'})")
    students = find_students(directory)
    if name not in students:
        raise ReplayError(f"{directory}: no submission of {name!r}")
    recorded = rows[name]
    seed = None if recorded.get("seed") in ("", "None", None) else int(recorded["seed"])
    plan = plan_run(tests, seed, assignment)
    stamp = run_stamp(plan)
    changes = tuple(f"the {what} changed since this row was graded ({key} {recorded.get(key) or 'unknown'}, "
                    f"now {stamp[key]}): the replay uses today's" for key, what in
                    (("rubric_hash", "rubric"), ("coursekit_version", "coursekit version"))
                    if recorded.get(key) != stamp[key])
    path = students[name]
    graded = grade_student(name, path, plan, stamp, read_submission(path, plan.rubric))
    header = tuple(recorded)
    row = {**recorded, **graded.row, "graded_at": recorded.get("graded_at", "")}
    if set(GRADEBOOK_COLUMNS) <= set(header):
        row.update(adjusted_columns(row, read_adjustments(gradebook, test_columns(header)).get(name, ())))
    return Replay(name, graded.report, header, row, recorded, changes)
