"""Points given by hand: GRADEBOOK-adjustments.csv beside the gradebook, applied after automatic grading.

One line per adjustment: `student`, `test` (a test of the rubric, or `total`), `points` (added;
negative takes off), `comment`, `by` and `at`. `coursekit adjust` appends one; the file may be
edited by hand too. Grading never writes it, so adjustments survive every regrade (--force too).

Every time the gradebook is written the adjustments are applied after the grader and after the late
policy (coursekit.term.late), in that one order: `auto` = total - late_penalty, `adjustment` = the
sum of the student's adjustments, `final` = auto + adjustment, `comment` = what each adjustment was
for. The course gradebook (coursekit.term.gradebook) reads `final`.
"""

import csv
import io
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from coursekit.files import write_atomically
from coursekit.grading.classroom import ROW_HASH, csv_text, edited_by_hand

COLUMNS = ("student", "test", "points", "comment", "by", "at")
GRADEBOOK_COLUMNS = ("auto", "adjustment", "final", "comment")  # after every other column but row_hash
WHOLE = "total"


class AdjustmentError(ValueError):
    """An adjustment that cannot be applied: the file, the line and why."""


@dataclass(frozen=True)
class Adjustment:
    student: str
    test: str       # a test of the rubric, or "total"
    points: float
    comment: str
    by: str
    at: str

    @property
    def said(self):
        what = "" if self.test == WHOLE else f"{self.test} "
        return f"{what}{self.points:+g}: {self.comment} ({self.by}, {self.at})"


def adjustments_path(gradebook):
    gradebook = Path(gradebook)
    return gradebook.with_name(f"{gradebook.stem}-adjustments.csv")


def read_adjustments(gradebook, tests):
    """{student: [Adjustment]} from the file beside `gradebook` ({} when there is none)."""
    path = adjustments_path(gradebook)
    try:
        with open(path, newline="", encoding="utf-8-sig") as file:
            reader = csv.DictReader(file)
            if not set(COLUMNS) <= set(reader.fieldnames or ()):
                raise AdjustmentError(f"{path}: needs the columns {', '.join(COLUMNS)}")
            lines = list(enumerate(reader, start=2))
    except FileNotFoundError:
        return {}
    found = {}
    for line, row in lines:
        adjustment = _adjustment(f"{path.name}:{line}", row, tests)
        found.setdefault(adjustment.student, []).append(adjustment)
    return found


def _adjustment(where, row, tests):
    if not (row.get("student") or "").strip():
        raise AdjustmentError(f"{where}: no student")
    if row["test"] not in (*tests, WHOLE):
        raise AdjustmentError(f"{where}: test {row['test']!r} is not a test of this gradebook "
                              f"({', '.join(tests)}) nor {WHOLE!r}")
    try:
        points = float(row["points"])
    except (TypeError, ValueError):
        raise AdjustmentError(f"{where}: points must be a number, got {row['points']!r}") from None
    return Adjustment(row["student"].strip(), row["test"], points, row.get("comment") or "", row.get("by") or "",
                      row.get("at") or "")


def adjusted_columns(row, adjustments):
    """auto, adjustment, final and comment of one gradebook row."""
    number = lambda key: float(row.get(key) or 0)  # noqa: E731
    auto = round(number("total") - number("late_penalty"), 2)
    adjustment = round(sum(adjustment.points for adjustment in adjustments), 2)
    return {"auto": f"{auto:g}", "adjustment": f"{adjustment:g}" if adjustments else "",
            "final": f"{round(auto + adjustment, 2):g}", "comment": "; ".join(a.said for a in adjustments)}


def test_columns(header):
    """The rubric's tests in a gradebook's header: the columns between student and total."""
    return tuple(header[header.index("student") + 1:header.index("total")])


def apply_adjustments(gradebook):
    """Rewrite `gradebook` with its adjustment columns; returns students adjusted who have no row."""
    with open(gradebook, newline="", encoding="utf-8") as file:
        reader = csv.DictReader(file)
        header = [name for name in reader.fieldnames if name not in (*GRADEBOOK_COLUMNS, ROW_HASH)]
        rows = {row["student"]: row for row in reader}
    edited = edited_by_hand(rows)
    if edited:  # sealing them again would keep the edit without a word
        raise AdjustmentError(f"{gradebook}: the row(s) of {', '.join(edited)} were edited by hand; grade them again "
                              "with `coursekit grade --class` and give points in the adjustments file instead")
    adjustments = read_adjustments(gradebook, test_columns(header))
    for name, row in rows.items():
        row.update(adjusted_columns(row, adjustments.get(name, ())))
    write_atomically(gradebook, csv_text((*header, *GRADEBOOK_COLUMNS), rows))
    return sorted(set(adjustments) - set(rows))


def add_adjustment(gradebook, student, test, points, comment, by, at=None):
    """Append one adjustment to the file beside `gradebook` (atomically) and apply the file to it."""
    with open(gradebook, newline="", encoding="utf-8") as file:
        reader = csv.DictReader(file)
        header, students = reader.fieldnames, {row["student"] for row in reader}
    if student not in students:
        raise AdjustmentError(f"{gradebook}: no row for {student!r}")
    at = at or datetime.now(timezone.utc).isoformat(timespec="seconds")
    entry = {"student": student, "test": test, "points": f"{points:g}", "comment": comment, "by": by, "at": at}
    _adjustment(adjustments_path(gradebook).name, entry, test_columns(header))
    path = adjustments_path(gradebook)
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    if not text:
        writer.writeheader()
    writer.writerow(entry)
    write_atomically(path, text + out.getvalue())
    return apply_adjustments(gradebook)
