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
@click.option("--format", "report_format", type=click.Choice(list(FORMATS)),
              help="Report format of one submission [default: text]. Not with --class (see --feedback).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report (or, with --class, the gradebook CSV) to this file, atomically.")
@click.option("--seed", type=int, help="Replay the random cases of an earlier run (its seed is printed).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=2, show_default=True,
              help="With --class: students graded at once.")
@click.option("--force", is_flag=True, help="With --class: grade again students already in the gradebook.")
@click.option("--feedback", type=click.Path(file_okay=False, path_type=Path),
              help="With --class: write each student's feedback (HTML with pictures, and Markdown) into this folder.")
@click.option("--similarity/--no-similarity", default=True, show_default=True,
              help="With --class: flag submissions nearly identical to another or to coursekit's engine "
                   "(column similar_to, and GRADEBOOK-similarity.html); needs coursekit-autodiff[instructor].")
def grade(submission, class_dir, tests, report_format, output, seed, jobs, force, feedback, similarity):
    """Grade a submission (a folder like exercises/, a .py file or a .ipynb notebook).

    \b
    Examples:
      coursekit grade exercises/
      coursekit grade alice.ipynb --format json -o alice.json
      coursekit grade --class submissions/ -o gradebook.csv -j 2 --feedback feedback/

    With --class, a re-run grades only the students whose submission, rubric, seed or coursekit
    version changed (or whose row has an error); --force grades everyone again.

    Exit code: 0 full marks, 1 a test lost points, 2 bad usage or unreadable input.
    """
    from coursekit import grading

    if (submission is None) == (class_dir is None):
        raise click.UsageError("give either a SUBMISSION or --class DIR")
    if class_dir is not None:
        if output is None:
            raise click.UsageError("--class needs -o gradebook.csv")
        if report_format is not None:
            raise click.UsageError("--format is for one submission; with --class, --feedback DIR writes one report per student")
    elif feedback is not None:
        raise click.UsageError("--feedback goes with --class (for one submission, use --format and -o)")
    try:
        if class_dir is not None:
            _grade_class(class_dir, output, tests, jobs, force, seed, feedback, similarity)
            return
        report = grading.grade(submission, tests, seed)
    except (grading.SubmissionError, grading.RubricError) as error:
        exit_bad_input(error)
    _show_report(report, report_format or "text", output)


def _grade_class(class_dir, output, tests, jobs, force, seed, feedback, similarity):
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from coursekit.grading.classroom import grade_class
    from coursekit.grading.feedback import feedback_paths, write_feedback

    review = output.with_name(f"{output.stem}-similarity.html") if similarity and _can_review() else None
    skeleton = CourseLayout().exercises / "value.py"

    done = {}

    def graded(student, result):
        progress.advance(task)
        if feedback is not None:
            done[student] = result

    def feedback_missing(student):
        return feedback is not None and not all(path.is_file() for path in feedback_paths(feedback, student))

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("ETA"), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True)) as progress:
        task = progress.add_task("grading", total=None)
        run = grade_class(
            class_dir, output, tests, jobs, force, seed,
            on_start=lambda count: progress.update(task, total=count), on_graded=graded, regrade=feedback_missing,
            similarity_report=review, skeleton=skeleton.read_text(encoding="utf-8") if skeleton.is_file() else "",
        )
    # Drawn once grading is over: while sandboxes run, this process reaps every child it did not
    # start as a sandbox, Graphviz's dot included.
    for student, result in done.items():
        write_feedback(feedback, student, result.report, result.graphs, result.row["error"])
    dropped = f", {run.dropped} rows of students no longer in {class_dir} removed" if run.dropped else ""
    click.echo(f"{run.gradebook}: graded {run.graded}, skipped {run.skipped} unchanged, "
               f"{run.errors} with errors (seed {run.seed}){dropped}")
    if feedback is not None:
        click.echo(f"{feedback}: one .html and one .md per student")
    if review is not None:
        click.echo(f"{review}: {run.flagged} students flagged for review (column similar_to); no score was changed")


def _can_review():
    """Whether copydetect is installed; if not, say so and grade without the similarity review."""
    from importlib.util import find_spec

    from coursekit.grading.similarity import INSTALL

    if find_spec("copydetect") is None:
        click.echo(f"note: {INSTALL}; grading without it", err=True)
        return False
    return True


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
