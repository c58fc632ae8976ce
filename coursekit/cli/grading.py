"""`coursekit grade` (the instructor's grader) and `coursekit check` (the student's public tests)."""

import sys
from pathlib import Path

import click

from coursekit.cli.errors import exit_bad_input
from coursekit.course.layout import CourseLayout
from coursekit.grading.report import FORMATS


@click.command()
@click.argument("submission", required=False, type=click.Path(path_type=Path))
@click.option("--class", "class_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Grade every student folder or file inside this directory into a CSV gradebook (-o).")
@click.option("--tests", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder with rubric.toml. Default: ./autograder when present, else the public tests.")
@click.option("--format", "report_format", type=click.Choice(list(FORMATS)), default="text",
              show_default=True, help="Report format (one submission).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report (or, with --class, the gradebook CSV) to this file, atomically.")
@click.option("--seed", type=int, help="Replay the random cases of an earlier run (its seed is printed).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=2, show_default=True,
              help="With --class: students graded at once.")
@click.option("--force", is_flag=True, help="With --class: grade again students already in the gradebook.")
def grade(submission, class_dir, tests, report_format, output, seed, jobs, force):
    """Grade a submission (a folder like exercises/, a .py file or a .ipynb notebook).

    \b
    Examples:
      coursekit grade exercises/
      coursekit grade alice.ipynb --format json -o alice.json
      coursekit grade --class submissions/ -o gradebook.csv -j 2

    Exit code: 0 full marks, 1 a test lost points, 2 bad usage or unreadable input.
    """
    from coursekit import grading

    if (submission is None) == (class_dir is None):
        raise click.UsageError("give either a SUBMISSION or --class DIR")
    try:
        if class_dir is not None:
            if output is None:
                raise click.UsageError("--class needs -o gradebook.csv")
            _grade_class(class_dir, output, tests, jobs, force, seed)
            return
        report = grading.grade(submission, tests, seed)
    except (grading.SubmissionError, grading.RubricError) as error:
        exit_bad_input(error)
    _show_report(report, report_format, output)


def _grade_class(class_dir, output, tests, jobs, force, seed):
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from coursekit.grading.classroom import grade_class

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("ETA"), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True)) as progress:
        task = progress.add_task("grading", total=None)
        run = grade_class(
            class_dir, output, tests, jobs, force, seed,
            on_start=lambda count: progress.update(task, total=count),
            on_graded=lambda student, row: progress.advance(task),
        )
    click.echo(f"{run.gradebook}: graded {run.graded}, skipped {run.skipped} already graded, "
               f"{run.errors} with errors (seed {run.seed})")


@click.command()
@click.argument("submission", required=False, type=click.Path(path_type=Path))
@click.option("--seed", type=int, help="Replay the random cases of an earlier check (its seed is printed).")
def check(submission, seed):
    """Run the public tests on your work (default: ./exercises, else the current folder).

    The tests are the public-tests/ folder beside your work or in the current folder (the course
    zip has one), else the public tests shipped with coursekit.
    """
    from coursekit import grading

    if submission is None:
        exercises = CourseLayout().exercises
        submission = exercises if exercises.is_dir() else Path(".")
    try:
        report = grading.grade(submission, public_tests_for(submission), seed)
    except (grading.SubmissionError, grading.RubricError) as error:
        exit_bad_input(error)
    _show_report(report, "text", None)


def public_tests_for(submission):
    """The public-tests/ folder holding a rubric beside the submission or in the current folder,
    else the package's own public tests."""
    from coursekit.grading import PUBLIC_TESTS

    beside = submission if submission.is_dir() else submission.parent
    for folder in (beside / CourseLayout.PUBLIC_TESTS, Path(CourseLayout.PUBLIC_TESTS)):
        if (folder / "rubric.toml").is_file():
            return folder
    return PUBLIC_TESTS


def _show_report(report, report_format, output):
    """The report on stdout (coloured in a terminal) or in `output`; exit 0 on full marks, else 1."""
    from coursekit.files import write_atomically
    from coursekit.grading.report import format_report

    text = format_report(report, report_format, color=output is None and sys.stdout.isatty())
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomically(output, text)
        click.echo(f"{output}: {report.score:g}/{report.max_score:g} (seed {report.seed})", err=True)
    raise SystemExit(0 if report.passed else 1)
