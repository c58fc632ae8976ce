"""`grade --class DIR --student NAME`: grade one student again exactly as their gradebook row was graded.

The replay draws the cases with the row's seed (and, for per-student cases, the student's name),
grades the submission found in DIR, and makes the row again from the same inputs as the class run:
the grader's columns, `similar_to` (this student's pairs against the rest of the class, when the run
reviewed similarity), the term's columns (the roster, late policy, timestamps and shard the run was
given) and the adjustments; only `graded_at` is carried from the row. Before the result it says what
is no longer as it was (the rubric, coursekit's version); a row reproduced byte for byte is the proof
that a score stands, and a row that is not says which columns differ, recorded and replayed.
"""

from dataclasses import dataclass

from coursekit.grading import plan_run
from coursekit.grading.adjustments import GRADEBOOK_COLUMNS, adjusted_columns, read_adjustments, test_columns
from coursekit.grading.classroom import (
    ROW_HASH,
    columns,
    csv_text,
    find_students,
    grade_student,
    read_gradebook,
    read_submission,
    run_stamp,
    similar_to,
    skeleton_of,
)


class ReplayError(ValueError):
    """The student has no row in the gradebook, or no submission in the folder."""


@dataclass(frozen=True)
class Replay:
    student: str
    report: object        # the GradeReport, None when the submission could not be read
    header: tuple         # the gradebook's columns, as the class run would write them today
    row: dict             # the row as this replay makes it
    recorded: dict        # the row as the gradebook holds it
    changes: tuple        # what is not as it was when the row was graded (sentences)

    @property
    def differences(self):
        """(column, recorded, replayed) for every column, recorded or replayed, that the replay does not reproduce."""
        every = dict.fromkeys((*self.recorded, *self.header))
        return tuple((column, self.recorded.get(column, ""), self.row.get(column, "")) for column in every
                     if column != ROW_HASH and self.recorded.get(column, "") != self.row.get(column, ""))

    @property
    def line(self):
        """The row as one CSV line, as the gradebook file holds it."""
        return csv_text(self.header, {self.student: self.row}).split("\n", 1)[1]


def replay_student(directory, gradebook, name, tests=None, assignment=None, enrolment=None, similarity=False,
                   given=None):
    """The Replay of student `name` of `directory` against their row of `gradebook`.

    The class run's options: `enrolment` (coursekit.term.enrolment.Enrolment: its students, and the
    term's columns of a row; None for a run with no roster, late policy, timestamps or shard),
    `similarity` (whether it reviewed similarity) and `given` (the folder every student started from).
    """
    rows = read_gradebook(gradebook)
    if name not in rows:
        raise ReplayError(f"{gradebook}: no row for {name!r} (its students: {', '.join(sorted(rows)) or 'none'})")
    students = find_students(directory) if enrolment is None else enrolment.students
    if name not in students:
        shard = f" in shard {enrolment.shard}" if enrolment is not None and enrolment.shard else ""
        raise ReplayError(f"{directory}: no submission of {name!r}{shard}")
    recorded = rows[name]
    seed = None if recorded.get("seed") in ("", "None", None) else int(recorded["seed"])
    plan = plan_run(tests, seed, assignment)
    stamp = run_stamp(plan)
    changes = tuple(f"the {what} changed since this row was graded ({key} {recorded.get(key) or 'unknown'}, "
                    f"now {stamp[key]}): the replay uses today's" for key, what in
                    (("rubric_hash", "rubric"), ("coursekit_version", "coursekit version"))
                    if recorded.get(key) != stamp[key])
    loaded = {other: read_submission(path, plan.rubric) for other, path in students.items()
              if similarity or other == name}
    graded = grade_student(name, students[name], plan, stamp, loaded[name])
    row = {**graded.row, "graded_at": recorded.get("graded_at", "")}
    row["similar_to"] = similar_to(loaded, skeleton_of(given, plan.rubric), student=name).get(name, "") if similarity else ""
    term = enrolment.columns_of(name, row) if enrolment is not None else {}
    row.update(term)
    header = (*columns(plan), *term)
    if set(GRADEBOOK_COLUMNS) <= set(recorded):
        header += GRADEBOOK_COLUMNS
        row.update(adjusted_columns(row, read_adjustments(gradebook, test_columns(header)).get(name, ())))
    return Replay(name, graded.report, header, row, recorded, changes)
