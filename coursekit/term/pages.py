"""The class report as one self-contained HTML page: a summary table and the plots inline."""

import html
from collections import Counter
from pathlib import Path
from string import Template

from coursekit.term import plots

TEMPLATE = Path(__file__).parent / "templates" / "report.html"


def assignment_page(report):
    summary = report.summary
    figures = [plots.histogram(report.scores, 0, report.max_score, "Scores (after the late penalty)",
                               f"points out of {report.max_score:g}")]
    if report.failure_rate:
        figures.append(plots.bars(report.failure_rate, "Students who lost points, per test", "% of the class",
                                   percent=True, alarm=50))
    if report.hints:
        figures.append(plots.bars(dict(list(report.hints.items())[:10]), "Hints shown (the ten most frequent)",
                                   "students shown the hint"))
    if report.days_late:
        late = {f"{days} day{'s' * (days != 1)} late" if days else "on time": count
                for days, count in sorted(Counter(report.days_late).items())}
        figures.append(plots.bars(late, "Late submissions", "students"))
    if report.seconds:
        figures.append(plots.histogram(report.seconds, 0, max(report.seconds), "Time to grade each submission", "seconds"))
    rows = [("students", summary["students"]), ("mean", summary["mean"]), ("median", summary["median"]),
            ("lowest", summary["lowest"]), ("highest", summary["highest"]), ("out of", f"{report.max_score:g}"),
            ("late", summary["late"]), ("could not be graded", summary["errors"])]
    return _page(report.title, rows, figures)


def course_page(report):
    summary = report.summary
    figures = [plots.histogram(report.percents, 0, 100, "Course percentages", "percent")]
    if report.letters:
        figures.append(plots.bars(report.letters, "Letters", "students"))
    figures.append(plots.bars({f"{a['title']}": a["mean_percent"] / 100 for a in report.assignments.values()},
                              "Mean score per assignment", "% of its points", percent=True))
    figures.append(plots.bars({f"{a['title']}: missing": a["missing"] for a in report.assignments.values()}
                              | {f"{a['title']}: late": a["late"] for a in report.assignments.values()},
                              "Missing and late submissions", "students"))
    rows = [("students", summary["students"]), ("mean %", summary["mean"]), ("median %", summary["median"]),
            ("lowest %", summary["lowest"]), ("highest %", summary["highest"])]
    return _page(report.title, rows, figures)


def _page(title, rows, figures):
    table = "".join(f"<tr><th>{_e(name)}</th><td>{_e('' if value is None else value)}</td></tr>" for name, value in rows)
    body = "\n".join(f"<figure>{svg}</figure>" for svg in figures)
    return Template(TEMPLATE.read_text(encoding="utf-8")).substitute(title=_e(title), summary=table, figures=body)


def _e(text):
    return html.escape(str(text), quote=True)
