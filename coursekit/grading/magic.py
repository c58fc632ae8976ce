"""`%check`: the public tests on the student's work, run inside the kernel.

Registered by `%load_ext coursekit`. It calls the grading library directly, so it needs no
`coursekit` command on the shell's PATH (a kernel started from a venv often has none), and when a
test fails it fails the cell, so "Run All" stops there and shows it.
"""

from pathlib import Path

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments

from coursekit.magic_options import parse_options


class ChecksFailed(Exception):
    """Some public tests failed: the report above says which; shown as one line, no traceback."""

    def _render_traceback_(self):  # IPython shows these lines instead of a traceback
        return [f"{type(self).__name__}: {self}"]


@magics_class
class CheckMagics(Magics):
    def __init__(self, shell):
        from coursekit.grading.live import CellRuns

        super().__init__(shell)
        self.runs = CellRuns()

    @magic_arguments()
    @argument("--assignment", metavar="NAME", help="the assignment whose public tests to run, e.g. ch1 (default: every one)")
    @argument("submission", nargs="?", help="value.py, a folder or a notebook (default: the cells run in this "
                                            "kernel and value.py here)")
    @line_magic
    def check(self, line):
        """Run the public tests on your work as this kernel ran it; the cell fails unless every test passes."""
        from coursekit import grading
        from coursekit.grading.live import executed_cells
        from coursekit.grading.public import check_public_tests
        from coursekit.grading.report import format_reports

        args = parse_options(self.check, line, "%check", "For example %check --assignment ch1; %check? lists the options.")
        submission = Path(args.submission) if args.submission else _default_submission()
        cells = None if args.submission else executed_cells(self.shell.history_manager.input_hist_raw, self.runs.cell_of)
        try:
            reports = check_public_tests(submission, args.assignment, cells, _kernel_notebook(self.shell))
        except (grading.SubmissionError, grading.RubricError) as error:
            typed = " ".join(["%check", *line.split()])  # not the submission: a default is not what the student typed
            raise UsageError(f"{typed}: {error}") from None
        print(format_reports(reports, "text"), end="")
        _show_pictures(reports)
        failed = [(report, test) for report in reports for test in report.tests if test.status != "passed" and test.max_score]
        errors = [report.error for report in reports if report.error]
        if failed or errors:
            score, most = sum(report.score for report in reports), sum(report.max_score for report in reports)
            names = ", ".join(f"{report.assignment} {test.name}" for report, test in failed)
            why = "; ".join(errors) or f"{len(failed)} public {'test' if len(failed) == 1 else 'tests'} failed: {names}"
            places = [place for report, test in failed for place in report.places.get(test.name, ())]
            raise ChecksFailed(f"{why} ({score:g}/{most:g}). {_fix(places, submission, cells is not None)}")


def _fix(places, submission, live):
    """What to change and what to do after, for the code the failing tests call."""
    from coursekit.grading.places import in_a_cell

    steps, cells = [], {}
    for name, where in places:
        cells.setdefault(where, []).append(name)
    for where, names in cells.items():
        if not in_a_cell(where):
            steps.append(f"fix {where} and save it")
        elif live:
            steps.append(f"fix {' and '.join(dict.fromkeys(names))} in {where} and run that cell")
        else:
            steps.append(f"fix {' and '.join(dict.fromkeys(names))} in the {where} and save the notebook")
    sentence = "; ".join(steps or [f"fix {submission}"])
    return f"{sentence[0].upper()}{sentence[1:]}, then run %check again."


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


def _kernel_notebook(shell):
    """The file name of the notebook this kernel runs, when Jupyter says it (None when unknown)."""
    session = shell.user_ns.get("__session__")
    return Path(session).name if isinstance(session, str) and session.endswith(".ipynb") else None


def load_ipython_extension(ipython):
    magics = CheckMagics(ipython)
    ipython.register_magics(magics)
    ipython.events.register("post_run_cell", magics.runs.record)
