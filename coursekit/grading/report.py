"""Step 6: present a GradeReport: a text table (coloured in a terminal), JSON, Gradescope, JUnit.

Public cases show inputs, expected and got; hidden cases show only the op, what was wrong and a
hint. Identical hidden failures are folded into one line with a count.
"""

import io
import json
import os
import re
import xml.etree.ElementTree as ET
from dataclasses import asdict

from coursekit.grading.places import in_a_cell

MAX_LINES = 8  # failure lines per test; the rest is counted
MAX_FILES = 8  # files listed as not graded; the rest is counted
NOT_GRADED = "Files not graded:"
CASE_FIELDS = ("test", "label", "public", "passed", "problem", "hint")  # a failing case in the JSON report
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")  # not allowed in XML 1.0


def format_report(report, report_format="text", color=False):
    """The report as text in one of FORMATS (defined at the end of this module)."""
    return FORMATS[report_format](report, color)


def format_reports(reports, report_format="text", color=False):
    """Several assignments' reports as one text: one after the other with a grand total (JSON: a list)."""
    if len(reports) == 1:
        return format_report(reports[0], report_format, color=color)
    if report_format == "json":
        return json.dumps([json.loads(format_report(report, "json")) for report in reports], indent=2) + "\n"
    total, most = sum(report.score for report in reports), sum(report.max_score for report in reports)
    text = "\n".join(format_report(report, report_format, color=color) for report in reports)
    return text + f"All {len(reports)} assignments: {total:g} / {most:g}\n"


def failure_groups(test):
    """The distinct failures of a test as (first case result, how many cases failed alike)."""
    groups = {}
    for result in test.failures:
        key = (result.label, result.problem, result.hint)
        first, count = groups.get(key, (result, 0))
        groups[key] = (first, count + 1)
    return list(groups.values())


def not_graded(report):
    """((file, why), ...) of the first MAX_FILES files of the submission that were not graded, and how many more."""
    return report.ignored[:MAX_FILES], max(0, len(report.ignored) - MAX_FILES)


def not_graded_lines(report):
    """The files that were not graded as plain text: a heading, then one indented line each ([] when none)."""
    shown, more = not_graded(report)
    if not shown:
        return []
    return [NOT_GRADED, *(f"  {name}: {why}" for name, why in shown), *([f"  ... and {more} more"] if more else [])]


def failure_lines(test):
    """One line per distinct failure (hint indented below), identical hidden ones counted.

    The same lines are what `coursekit check` prints, what Gradescope shows under each test and
    what the feedback files say (the HTML adds a picture of the graph).
    """
    if test.problem:
        return [f"not graded, the rubric is broken here: {test.problem}"]
    groups = failure_groups(test)
    lines = []
    for result, count in groups[:MAX_LINES]:
        times = f" [{count} cases]" if count > 1 else ""
        lines.append(f"{result.label}: {result.problem}{times}")
        if result.hint:
            lines.append(f"  hint: {result.hint}")
    if len(groups) > MAX_LINES:
        lines.append(f"... and {len(groups) - MAX_LINES} more kinds of failure")
    return lines


def located(test, places):
    """Where a test's code lives: "in cell [9]" when it calls what it is named after, else
    "MLP in cell [7], loss_of in cell [9]"."""
    if [name for name, _ in places] == [test]:
        return f"in {places[0][1]}"
    return ", ".join(f"{name} in {where}" for name, where in places)


def _header(report):
    student = f", cases of student {report.student}" if report.student else ""
    seed = "" if report.seed is None else f", seed {report.seed}{student} (re-run with --seed {report.seed})"
    return f"{report.submission}: assignment {report.assignment} ({_shown_path(report.tests_source)}){seed}"


def _shown_path(path):
    """A path as short as it reads: relative to the current folder when that is shorter."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive, on Windows
        return path
    return relative if len(relative) < len(path) else path


def _row(test):
    """(cases, points, mark) of a test in the table: a test worth nothing is never a red row."""
    if test.problem:
        return "-", "-", "[yellow]not graded[/]"
    cases = f"{test.passed}/{test.total}"
    if not test.max_score:
        return cases, "-", "[dim]practice ✓[/]" if test.status == "passed" else "[dim]practice ✗[/]"
    if test.status == "passed":
        return cases, f"{test.score:g}/{test.max_score:g}", "[green]✓[/]"
    return cases, f"{test.score:g}/{test.max_score:g}", "[red]✗[/]" if test.passed == 0 else "[yellow]~[/]"


def text_report(report, color=False):
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    # force_jupyter=False: in a kernel rich would display the table itself instead of returning its text
    console = Console(file=io.StringIO(), force_terminal=color, force_jupyter=False, no_color=not color, width=110,
                      highlight=False)
    console.print(_header(report), soft_wrap=True)
    if report.error:
        console.print(report.error, style="bold red", markup=False, soft_wrap=True)
    table = Table(show_edge=False)
    for column, justify in (("test", "left"), ("cases", "right"), ("points", "right"), ("", "left")):
        table.add_column(column, justify=justify)
    for test in report.tests:
        table.add_row(test.name, *_row(test))
    console.print(table)
    for test in report.tests:
        lines = failure_lines(test)
        if lines and not report.error:
            # value.py is named by each failure's own line; a cell is not, and Jupyter's numbers move
            where = located(test.name, [place for place in report.places.get(test.name, ()) if in_a_cell(place[1])])
            console.print(f"[bold]{test.name}[/]" + escape(f" — {where}" if where else ""), soft_wrap=True)
            for line in lines:
                console.print("  " + line, markup=False, soft_wrap=True)
    for line in [*(f"note: {note}" for note in report.notes), *not_graded_lines(report)]:
        console.print(line, markup=False, soft_wrap=True)
    for stream, text in report.output.items():
        if text.strip():
            console.print(f"[dim]--- your code's {stream} ---[/]")  # the text itself says when it was cut
            console.print(text.rstrip(), markup=False, soft_wrap=True)
    style = "green" if report.passed else "red"
    console.print(f"[bold {style}]Total: {report.score:g} / {report.max_score:g}[/]")
    return console.file.getvalue()


def json_report(report, color=False):
    fields = asdict(report)
    for test in fields["tests"]:
        test["failures"] = [{key: failure[key] for key in CASE_FIELDS} for failure in test["failures"]]
    return json.dumps({**fields, "passed": report.passed}, indent=2) + "\n"


def gradescope_report(report, color=False):
    """Gradescope's results.json: https://gradescope-autograders.readthedocs.io/en/latest/specs/"""
    # Students cannot re-run with a seed, so the output says only what they got and why.
    output = [f"Total: {report.score:g} / {report.max_score:g}", *([report.error] if report.error else []), *report.notes,
              *not_graded_lines(report)]
    results = {
        "score": report.score,
        "execution_time": report.elapsed,
        "output": "\n".join(output),
        "tests": [
            {
                "name": test.name,
                "score": test.score,
                "max_score": test.max_score,
                "status": test.status,
                "output": "\n".join([f"{test.passed}/{test.total} cases passed", *failure_lines(test)]),
                "visibility": test.visibility,
            }
            for test in report.tests
        ],
    }
    return json.dumps(results, indent=2) + "\n"


def junit_report(report, color=False):
    failed = [test for test in report.tests if test.status != "passed" and test.max_score]
    suite = ET.Element("testsuite", name=f"coursekit grade {report.submission}", tests=str(len(report.tests)),
                       failures=str(len(failed)), errors="0", time=f"{report.elapsed:.3f}")
    properties = ET.SubElement(suite, "properties")
    for name, value in (("seed", report.seed), ("score", report.score), ("max_score", report.max_score)):
        ET.SubElement(properties, "property", name=name, value=str(value))
    for test in report.tests:
        case = ET.SubElement(suite, "testcase", classname=f"coursekit.grade.{report.submission}", name=test.name, time="0")
        if test.status != "passed" and test.max_score:
            message = report.error or f"{test.total - test.passed} of {test.total} cases failed"
            failure = ET.SubElement(case, "failure", message=message, type="AssertionError")
            failure.text = "\n".join(failure_lines(test))
    ET.SubElement(suite, "system-out").text = NOT_XML.sub("?", report.output.get("stdout", ""))
    ET.SubElement(suite, "system-err").text = NOT_XML.sub("?", report.output.get("stderr", ""))
    root = ET.Element("testsuites")
    root.append(suite)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


# The report formats `coursekit grade --format` offers, in the order its help lists them.
FORMATS = {"text": text_report, "json": json_report, "gradescope": gradescope_report, "junit": junit_report}
