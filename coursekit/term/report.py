"""The class report: what a class did on one assignment, or on the whole course, as numbers and plots.

An assignment's report reads its gradebook (and the details `grade --class` keeps beside it): the
spread of scores (after the late penalty), the share of students failing each test, which hints
fired how often, how late submissions were, and how long each took to grade. The course's report
reads the course gradebook: the spread of course percentages, letters, and per assignment the mean
and the missing and late submissions. Both are JSON-ready data; coursekit.term.pages draws them.
"""

import statistics
from collections import Counter
from dataclasses import asdict, dataclass

from coursekit.term.details import read_details
from coursekit.term.gradebook import assignment_score, read_gradebooks


@dataclass(frozen=True)
class AssignmentReport:
    title: str
    students: int
    max_score: float
    scores: list          # per student, after the late penalty
    failure_rate: dict    # test -> share of students who lost points on it
    hints: dict           # hint -> how many students were shown it, most frequent first
    days_late: list       # per student with a deadline; [] without a late policy
    seconds: list         # grading time per student whose submission could be read
    errors: int           # submissions that could not be graded

    @property
    def summary(self):
        return _summary(self.scores, self.max_score) | {"students": self.students, "errors": self.errors,
                                                        "late": sum(days > 0 for days in self.days_late)}


@dataclass(frozen=True)
class CourseReport:
    title: str
    students: int
    percents: list
    letters: dict         # letter -> students, in the course's order
    assignments: dict     # name -> {"title", "mean_percent", "missing", "late"}

    @property
    def summary(self):
        return _summary(self.percents, 100.0) | {"students": self.students}


def assignment_report(gradebooks, title):
    """The report of one assignment from its gradebook (or the gradebooks of its shards, merged)."""
    rows = list(read_gradebooks(gradebooks).values())
    details = [read_details(path) for path in gradebooks]
    points = {test: value for part in details for test, value in part["points"].items()}
    students = [entry for part in details for entry in part["students"].values()]
    failing = {test: sum(float(row.get(test) or 0) < value for row in rows) for test, value in points.items()}
    hints = Counter(hint for entry in students for hint in entry["hints"])
    return AssignmentReport(
        title=title, students=len(rows),
        max_score=max((float(row["max_total"] or 0) for row in rows), default=0.0),
        scores=[round(max(assignment_score(row)[0], 0.0), 2) for row in rows],
        failure_rate={test: round(count / len(rows), 3) if rows else 0.0 for test, count in failing.items()},
        hints=dict(hints.most_common()),
        days_late=[int(row["days_late"]) for row in rows if row.get("days_late")],
        seconds=[entry["seconds"] for entry in students if entry["seconds"] is not None],
        errors=sum(bool(row["error"]) for row in rows))


def course_report(book):
    rows = [row for row in book.rows if row.on_roster]
    letters = Counter(row.letter for row in rows)
    assignments = {}
    for name, points in book.points.items():
        marks = [row.marks[name] for row in rows]
        assignments[name] = {
            "title": book.course.assignments[name].title,
            "mean_percent": round(statistics.fmean(100 * m.score / points for m in marks), 1) if marks and points else 0.0,
            "missing": sum(m.status == "missing" for m in marks), "late": sum(m.days_late > 0 for m in marks)}
    return CourseReport(book.course.title or "Course", len(rows), [row.percent for row in rows],
                        {letter: letters[letter] for letter, _ in book.course.letters}, assignments)


def report_json(report):
    return {**asdict(report), "summary": report.summary}


def _summary(values, top):
    if not values:
        return {"mean": None, "median": None, "lowest": None, "highest": None, "out_of": top}
    return {"mean": round(statistics.fmean(values), 2), "median": round(statistics.median(values), 2),
            "lowest": min(values), "highest": max(values), "out_of": top}
