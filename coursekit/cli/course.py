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
@click.option("--assignment", help="With --validate, check only this assignment's tests (e.g. ch2).")
@click.option("--mutants", is_flag=True,
              help="With --validate, also grade wrong variants of the solution (operand swap, sign flip, dropped "
                   "factor, ...) and report, per test, which ones it lets through, and a mutation score.")
@click.option("--dry-run", is_flag=True, help="Write and remove nothing; list what assign would write and remove.")
@click.option("-v", "--verbose", is_flag=True, help="With --validate, print every check, not only the failing ones.")
def assign_command(source, target, validate, tests, notebooks, seed, assignment, mutants, dry_run, verbose):
    """Generate the student version TARGET (default exercises/) from SOURCE (default solutions/).

    Solution regions become `# YOUR CODE HERE` + `raise NotImplementedError()`, hidden-test
    regions disappear, notebook outputs are cleared; other files are copied, except caches,
    dotfiles, TA notes (TA-notes*, *.instructor.*) and the globs in SOURCE/.assign.toml's `exclude`.
    Files in TARGET that SOURCE no longer makes are removed.
    """
    if validate:
        _validate_assignment(source, target, tests, notebooks, seed, assignment, mutants, verbose)
        return
    if assignment or mutants or verbose:
        raise click.UsageError("--assignment, --mutants and --verbose go with --validate")
    from coursekit.course.assign import assign

    report = or_exit_bad_input(assign, source, target, dry_run)
    for relative in report.written:
        click.echo(f"{'would write' if dry_run else 'wrote'} {target / relative}")
    for relative in report.stale:
        click.echo(f"{'would remove' if dry_run else 'removed'} {target / relative} (not generated from {source}/)")
    written, unchanged, stale = len(report.written), len(report.unchanged), len(report.stale)
    if dry_run:
        click.echo(f"{target}: dry run, nothing changed: {written} to write, {unchanged} unchanged, {stale} to remove")
    else:
        click.echo(f"{target}: {written} written, {unchanged} unchanged, {stale} removed")


def _validate_assignment(source, target, tests, notebooks, seed, assignment, mutants, verbose):
    """Quiet when everything holds (exit 0); the failing checks and the warnings (every check with
    --verbose) otherwise; only a failing check exits 1."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from coursekit.cli import tables
    from coursekit.course.validate import validate

    out = tables.console()
    reports = []
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=out, transient=True, disable=not out.is_terminal) as progress:
        task = progress.add_task("validating")
        verdicts = or_exit_bad_input(validate, source, target, tests, notebooks, seed,
                                     advance=lambda subject: progress.update(task, description=subject),
                                     assignment=assignment, mutants=reports.append if mutants else None)
    for report in reports:
        out.print(tables.mutants_table(report))
    failing = [verdict for verdict in verdicts if not verdict.ok and not verdict.warning]
    shown = verdicts if verbose else [verdict for verdict in verdicts if not verdict.ok]  # warnings too
    if shown:
        out.print(tables.verdict_table(shown))
    sys.exit(1 if failing else 0)


@click.command("release")
@click.option("--out", default="dist", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for student.zip and the Gradescope bundles.")
@click.option("--course", default=".", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="The course folder (holding solutions/, exercises/ and autograder/).")
@click.option("--wheel", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="The coursekit wheel to ship (default: build it from this checkout).")
@click.option("--lite", is_flag=True,
              help="Also build OUT/lite/: the course as a static website that runs in the browser, nothing "
                   "to install (needs npm and the lite-build extra).")
def release_command(out, course, wheel, lite):
    """Build OUT/student.zip (exercises, public tests, the coursekit wheel) and one Gradescope
    bundle per assignment of autograder/ (hidden tests, setup.sh, a locked wheelhouse).

    Refuses if exercises/ is out of date with solutions/ or if any line of the solutions or of
    the hidden tests would reach the student zip. Needs the package index once, to download
    the wheels of grading's dependencies (and, with --lite, the npm registry for the browser's
    Python and Graphviz).
    """
    from coursekit.course.release import release

    built = or_exit_bad_input(release, course, out, wheel, lite)
    click.echo(f"{built.student_zip}: {len(built.student_files)} files for students, with {built.wheel}")
    for bundle in built.gradescope_zips:
        click.echo(f"{bundle}: upload it as the Gradescope autograder")
    if built.site:
        click.echo(f"{built.site.folder}: the course in a browser, {built.site.size / 1e6:.0f} MB; put the folder on "
                   f"any web host (try it: python -m http.server -d {built.site.folder})")
