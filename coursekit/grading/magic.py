"""`%check`: the public tests on the student's work, run inside the kernel.

Registered by `%load_ext coursekit`. It calls the grading library directly, so it needs no
`coursekit` command on the shell's PATH (a kernel started from a venv often has none), and when a
test fails it fails the cell, so "Run All" stops there and shows it.
"""

from pathlib import Path

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring


class ChecksFailed(Exception):
    """Some public tests failed: the report above says which; shown as one line, no traceback."""

    def _render_traceback_(self):  # IPython shows these lines instead of a traceback
        return [f"{type(self).__name__}: {self}"]


@magics_class
class CheckMagics(Magics):
    @magic_arguments()
    @argument("--assignment", metavar="NAME", help="the assignment whose public tests to run, e.g. ch1 (default: every one)")
    @argument("submission", nargs="?", help="value.py, a folder or a notebook (default: value.py here, else this folder)")
    @line_magic
    def check(self, line):
        """Run the public tests on your work; the cell fails unless every test passes."""
        from coursekit import grading
        from coursekit.grading.public import check_public_tests
        from coursekit.grading.report import format_reports

        try:
            args = parse_argstring(self.check, line)
        except UsageError as error:
            raise UsageError(f"%check: {error}. Type %check value.py, or %check? for the options.") from None
        submission = Path(args.submission) if args.submission else _default_submission()
        try:
            reports = check_public_tests(submission, args.assignment)
        except (grading.SubmissionError, grading.RubricError) as error:
            raise UsageError(f"%check {submission}: {error}") from None
        print(format_reports(reports, "text"), end="")
        _show_pictures(reports)
        failed = [f"{report.assignment} {test.name}" for report in reports for test in report.tests
                  if test.status != "passed" and test.max_score]
        errors = [report.error for report in reports if report.error]
        if failed or errors:
            score, most = sum(report.score for report in reports), sum(report.max_score for report in reports)
            why = "; ".join(errors) or f"{len(failed)} public tests failed: {', '.join(failed)}"
            raise ChecksFailed(f"{why} ({score:g}/{most:g}). Fix {submission}, then run %check again.")


def _show_pictures(reports):
    """The student's own graph of each failing case, wrong numbers in red, as %%trace draws it."""
    from IPython.display import HTML, display

    from coursekit.grading.feedback import pictures_html

    for report in reports:
        fragment = pictures_html(report)
        if fragment:
            display(HTML(fragment))


def _default_submission():
    return Path("value.py") if Path("value.py").is_file() else Path(".")


def load_ipython_extension(ipython):
    ipython.register_magics(CheckMagics)
