"""`coursekit assign` and `coursekit release`: the instructor's course tools."""

import sys
from pathlib import Path

import click

from coursekit.cli.errors import or_exit_bad_input
from coursekit.course.layout import CourseLayout


@click.command("assign")
@click.argument("source", default=CourseLayout.SOLUTIONS, type=click.Path(file_okay=False, path_type=Path))
@click.argument("target", default=CourseLayout.EXERCISES, type=click.Path(file_okay=False, path_type=Path))
@click.option("--validate", is_flag=True,
              help="Write nothing; check that SOURCE passes every public and hidden test and runs its "
                   "notebooks, and that TARGET is up to date and fails every test.")
@click.option("--tests", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="The hidden tests for --validate (default: autograder/ beside SOURCE).")
@click.option("--notebooks/--no-notebooks", default=True, show_default=True,
              help="With --validate, also run every notebook in a kernel.")
@click.option("--seed", type=int, help="With --validate, the seed of the graded cases.")
def assign_command(source, target, validate, tests, notebooks, seed):
    """Generate the student version TARGET (default exercises/) from SOURCE (default solutions/).

    Solution regions become `# YOUR CODE HERE` + `raise NotImplementedError()`, hidden-test
    regions disappear, notebook outputs are cleared; other files are copied.
    """
    if validate:
        _validate_assignment(source, target, tests, notebooks, seed)
        return
    from coursekit.course.assign import assign

    report = or_exit_bad_input(assign, source, target)
    for relative in report.written:
        click.echo(f"wrote {target / relative}")
    click.echo(f"{target}: {len(report.written)} written, {len(report.unchanged)} unchanged")
    for relative in report.stale:
        click.echo(f"warning: {target / relative} is not generated from {source}/ (delete it if it is stale)", err=True)


def _validate_assignment(source, target, tests, notebooks, seed):
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from coursekit.cli import tables
    from coursekit.course.validate import validate

    out = tables.console()
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=out, transient=True) as progress:
        task = progress.add_task("validating")
        verdicts = or_exit_bad_input(validate, source, target, tests, notebooks, seed,
                                     advance=lambda subject: progress.update(task, description=subject))
    out.print(tables.verdict_table(verdicts))
    sys.exit(0 if all(verdict.ok for verdict in verdicts) else 1)


@click.command("release")
@click.option("--out", default="dist", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for student.zip and the gradescope-<assignment>.zip files.")
@click.option("--course", default=".", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="The course folder (holding solutions/, exercises/ and autograder/).")
@click.option("--wheel", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="The coursekit wheel for Gradescope's setup.sh to install (default: build it from this checkout).")
def release_command(out, course, wheel):
    """Build OUT/student.zip (exercises, public tests, README) and OUT/gradescope-<assignment>.zip.

    Refuses if exercises/ is out of date with solutions/ or if anything of the solutions or
    hidden tests would reach the student zip.
    """
    from coursekit.course.release import release

    built = or_exit_bad_input(release, course, out, wheel)
    click.echo(f"{built.student_zip}: {len(built.student_files)} files for students")
    for path, files in zip(built.gradescope_zips, built.gradescope_files):
        click.echo(f"{path}: {len(files)} files; upload it as the Gradescope autograder of its assignment")
