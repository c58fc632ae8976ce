"""Feedback a student can read: one self-contained HTML page and one Markdown file per student.

Both say the score of every test and, for each failing case, what `coursekit check` and Gradescope
say (its inputs when visible, expected and actual numbers, the hint). The HTML adds, for a failing
gradient whose inputs are visible, the student's own graph for that case with the wrong gradients
in red, drawn like %%trace draws it (see coursekit.grading.pictures).
"""

import html
import re
from pathlib import Path
from string import Template

from coursekit.files import write_atomically
from coursekit.grading.pictures import graph_svg
from coursekit.grading.report import MAX_LINES, NOT_GRADED, failure_groups, failure_lines, not_graded

TEMPLATE = Path(__file__).parent / "templates" / "feedback.html"
NO_REPORT = "Nothing could be graded, so every test scores 0."
MAX_LABEL = 120  # characters of a case shown on the page (adam_step's, with its inputs, runs to 300)
UNKNOWN_OP = (" A <b>?</b> is an operation whose numbers (its result and local gradients) match no operation "
              "%%trace knows: look at the local gradients it stores.")


def write_feedback(folder, student, report=None, error=""):
    """Write `<student>.html` and `<student>.md` into `folder`; returns their paths.

    `report` is the GradeReport (None when the submission could not even be read: then `error`
    says why). The pictures are those of the report's failing cases (CaseOutcome.picture).
    """
    folder = Path(folder)
    stem = safe_name(student)
    pages = {folder / f"{stem}.md": feedback_markdown(student, report, error),
             folder / f"{stem}.html": feedback_html(student, report, error)}
    for path, text in pages.items():
        write_atomically(path, text)
    return tuple(pages)


def feedback_paths(folder, student):
    stem = safe_name(student)
    return Path(folder) / f"{stem}.html", Path(folder) / f"{stem}.md"


def safe_name(student):
    """A file name for the student (folder names are names already; anything odd becomes _)."""
    return re.sub(r"[^\w.-]", "_", student).lstrip(".") or "student"


# -- Markdown -------------------------------------------------------------------------------------


def feedback_markdown(student, report, error=""):
    lines = [f"# Feedback for {student}", ""]
    if report is None:
        return "\n".join([*lines, f"**Error:** {error}", "", NO_REPORT, ""])
    lines += [f"**Total: {report.score:g} / {report.max_score:g}**", ""]
    if report.error:
        lines += [f"**Error:** {report.error}", ""]
    lines += ["| test | cases passed | points |", "|---|---:|---:|"]
    lines += [f"| {test.name} | {test.passed}/{test.total} | {test.score:g}/{test.max_score:g} |" for test in report.tests]
    for test in report.tests:
        if test.failures and not report.error:
            lines += ["", f"## {test.name}", "", "```text", *failure_lines(test), "```"]
    if report.notes:
        lines += ["", *(f"note: {note}" for note in report.notes)]
    lines += _not_graded_markdown(report)
    return "\n".join(lines).rstrip() + "\n"


def _not_graded_markdown(report):
    shown, more = not_graded(report)
    if not shown:
        return []
    return ["", f"**{NOT_GRADED}**", "", *(f"- `{name}`: {why}" for name, why in shown),
            *([f"- and {more} more"] if more else [])]


# -- HTML -----------------------------------------------------------------------------------------


def feedback_html(student, report, error=""):
    title = f"Feedback for {student}"
    parts = [f"<h1>{_e(title)}</h1>"]
    if report is None:
        parts += [f'<p class="error">{_e(error)}</p>', f"<p>{_e(NO_REPORT)}</p>"]
    else:
        parts += _report_parts(report)
    return Template(TEMPLATE.read_text(encoding="utf-8")).substitute(title=_e(title), body="\n".join(parts))


def pictures_html(report):
    """The failing cases of a report that have a picture, as an HTML fragment ("" when none):
    what `%check` shows in the notebook below its text report."""
    parts = [_case_part(outcome, count) for test in report.tests
             for outcome, count in failure_groups(test)[:MAX_LINES] if outcome.picture is not None]
    # inline styles: a notebook shows this fragment without the feedback page's stylesheet
    cases = "".join(f'<div style="margin: 0.8em 0; padding-top: 0.5em; border-top: 1px solid #ddd">{part}</div>'
                    for part in parts)
    return f'<div class="ck-feedback">{cases}</div>' if parts else ""


def _report_parts(report):
    parts = [f'<p class="total"><strong>Total: {report.score:g} / {report.max_score:g}</strong></p>']
    if report.error:
        parts.append(f'<p class="error">{_e(report.error)}</p>')
    rows = "".join(
        f'<tr><td>{_e(test.name)}</td><td class="num">{test.passed}/{test.total}</td>'
        f'<td class="num">{test.score:g}/{test.max_score:g}</td><td class="{test.status}">{_e(test.status)}</td></tr>'
        for test in report.tests
    )
    parts.append(f"<table><tr><th>test</th><th>cases passed</th><th>points</th><th></th></tr>{rows}</table>")
    for test in report.tests:
        if test.failures and not report.error:
            parts.append(_test_section(test))
    parts += [f'<p class="meta">note: {_e(note)}</p>' for note in report.notes]
    shown, more = not_graded(report)
    if shown:
        items = [f"<li><code>{_e(name)}</code>: {_e(why)}</li>" for name, why in shown]
        items += [f"<li>and {more} more</li>"] if more else []
        parts.append(f'<p>{_e(NOT_GRADED)}</p><ul>{"".join(items)}</ul>')
    return parts


def _test_section(test):
    groups = failure_groups(test)
    # ids named after the test and the case's place, so that grading the same code twice writes the same page
    cases = [_case_part(outcome, count, box_id=f"ck-{re.sub(r'[^A-Za-z0-9_-]', '-', test.name)}-{number}")
             for number, (outcome, count) in enumerate(groups[:MAX_LINES])]
    if len(groups) > MAX_LINES:
        cases.append(f"<p>… and {len(groups) - MAX_LINES} more kinds of failure</p>")
    heading = f"{test.name}: {test.score:g} / {test.max_score:g} points, {test.passed} of {test.total} cases passed"
    return f'<section class="test"><h2>{_e(heading)}</h2>{"".join(cases)}</section>'


def _case_part(outcome, count, box_id=None):
    times = f" ({count} cases)" if count > 1 else ""
    parts = [f'<div class="case"><div>{_label_html(outcome.label)}{times}</div>',
             f'<div class="problem">{_e(outcome.problem)}</div>']
    if outcome.hint:
        parts.append(f'<div class="hint">hint: {_e(outcome.hint)}</div>')
    svg = graph_svg(outcome.picture) if outcome.picture is not None else None
    if svg:
        from coursekit.tracing.view import picture_html  # the zoomable view of %%trace, readable at any width

        unknown = UNKNOWN_OP if ">?</text>" in svg else ""
        parts.append(f'<div class="picture">{picture_html(svg, inline=True, box_id=box_id)}</div><div class="caption">Your graph '
                     f"for this case, as %%trace draws it; what is wrong is in red, with the expected number.{unknown}</div>")
    parts.append("</div>")
    return "".join(parts)


def _label_html(label):
    """The case as code, cut to MAX_LABEL characters with the whole of it on hover."""
    if len(label) <= MAX_LABEL:
        return f"<code>{_e(label)}</code>"
    return f'<code title="{_e(label)}">{_e(label[:MAX_LABEL - 1])}…</code>'


def _e(text):
    return html.escape(str(text), quote=True)
