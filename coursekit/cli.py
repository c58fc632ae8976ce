"""The `coursekit` command: a thin face over the library's functions."""

import sys
from pathlib import Path

import click

# Each command imports what it needs when it runs, so `coursekit --help` and the grader start fast.


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="coursekit")
def main():
    """Learn automatic differentiation by building it one scalar at a time."""


@main.command("assign")
@click.argument("source", default="solutions", type=click.Path(file_okay=False, path_type=Path))
@click.argument("target", default="exercises", type=click.Path(file_okay=False, path_type=Path))
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
    from coursekit.assignment import assign

    report = _or_exit_2(assign, source, target)
    for relative in report.written:
        click.echo(f"wrote {target / relative}")
    click.echo(f"{target}: {len(report.written)} written, {len(report.unchanged)} unchanged")
    for relative in report.stale:
        click.echo(f"warning: {target / relative} is not generated from {source}/ (delete it if it is stale)", err=True)


def _validate_assignment(source, target, tests, notebooks, seed):
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from coursekit import render
    from coursekit.assignment.validate import validate

    out = render.console()
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=out, transient=True) as progress:
        task = progress.add_task("validating")
        verdicts = _or_exit_2(validate, source, target, tests, notebooks, seed,
                              advance=lambda subject: progress.update(task, description=subject))
    out.print(render.verdict_table(verdicts))
    sys.exit(0 if all(verdict.ok for verdict in verdicts) else 1)


def _or_exit_2(function, *args, **kwargs):
    """Run a library call; bad input becomes a one-line reason on stderr and exit code 2."""
    try:
        return function(*args, **kwargs)
    except (ValueError, OSError) as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)

@main.command("gradcheck")
@click.option("--nudge", "h", default=1e-4, show_default=True, help="How far to nudge each input.")
def gradcheck_command(h):
    """Nudge every operation's input and compare the measured slope with backward().

    Exits 1 if any operation disagrees by more than its curvature explains.
    """
    from coursekit import gradcheck, render

    if not 0 < h < 1:
        raise click.BadParameter("the nudge must be between 0 and 1", param_hint="--nudge")
    rows = gradcheck.nudge_table(h)
    render.print_nudge_table(rows, h)
    sys.exit(0 if all(row.ok for row in rows) else 1)


@main.command("release")
@click.option("--out", default="dist", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for student.zip and gradescope.zip.")
@click.option("--course", default=".", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="The course folder (holding solutions/, exercises/ and autograder/).")
@click.option("--wheel", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="The coursekit wheel for Gradescope's setup.sh to install (default: build it from this checkout).")
def release_command(out, course, wheel):
    """Build OUT/student.zip (exercises, public tests, README) and OUT/gradescope.zip (autograder).

    Refuses if exercises/ is out of date with solutions/ or if anything of the solutions or
    hidden tests would reach the student zip.
    """
    from coursekit.assignment.release import release

    built = _or_exit_2(release, course, out, wheel)
    click.echo(f"{built.student_zip}: {len(built.student_files)} files for students")
    click.echo(f"{built.gradescope_zip}: {len(built.gradescope_files)} files; upload it as the Gradescope autograder")


@main.command("demo")
@click.option("--out", default="demo-output", show_default=True, type=click.Path(file_okay=False),
              help="Where to write the graph picture.")
@click.option("--train", is_flag=True, help="Also train an MLP on two moons and plot its loss.")
@click.option("--gpt", "with_gpt", is_flag=True, help="Also train the names GPT for 50 steps and sample names.")
def demo_command(out, train, with_gpt):
    """A short tour: the textbook expression, its graph, the nudge test and the grader."""
    from coursekit import demo, render

    console = render.console()
    demo.tour(console, out)
    if train:
        demo.train_with_progress(console)
    if with_gpt:
        console.print("\n[bold]The capstone[/]: a GPT on names, 50 steps (`coursekit gpt train` runs 1000).")
        _train_and_show(out=Path(out) / "gpt", console=console, steps=50)


@main.group()
def gpt():
    """The capstone: a GPT trained on names, one scalar at a time."""


@gpt.command("train")
@click.option("--steps", type=click.IntRange(min=1), default=1000, show_default=True, help="Training steps, one name each.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the run: same seed, same run, bit for bit.")
@click.option(
    "--temperature",
    type=click.FloatRange(min=0, min_open=True),
    default=0.5,
    show_default=True,
    help="Sampling temperature: lower gives common names, higher gives stranger ones.",
)
@click.option("--samples", type=click.IntRange(min=0), default=20, show_default=True, help="How many names to sample.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, writable=True, path_type=Path),
    default="gpt-output",
    show_default=True,
    help="Folder for loss.csv and loss.png (created if missing).",
)
def gpt_train(steps, seed, temperature, samples, out):
    """Train the names GPT with coursekit's Value, then print sampled names.

    Names go to stdout, one per line; the progress bar and a summary go to stderr;
    loss.csv and loss.png go to --out.

    \b
    Example:
      coursekit gpt train --steps 1000 --seed 1 --temperature 0.6 --out runs/seed1
    """
    _train_and_show(steps=steps, seed=seed, temperature=temperature, samples=samples, out=out)


def _train_and_show(out, console=None, **options):
    from coursekit.capstone import run_capstone

    try:
        result = run_capstone(out_dir=out, console=console, **options)
    except OSError as error:
        raise click.UsageError(f"cannot write to --out {str(out)!r}: {error.strerror or error}") from None
    for name in result.names:
        click.echo(name)
    click.echo(result.summary(), err=True)
    click.echo(f"loss curve: {result.csv_path} and {result.png_path}", err=True)


# -- grading -----------------------------------------------------------------------------------


def _bad_input(message):
    """Exit code 2 with a one-line reason, for input we cannot read (DESIGN §3)."""
    click.echo(f"Error: {message}", err=True)
    raise SystemExit(2)


def _show(text, output):
    if output is None:
        click.echo(text, nl=False)
    else:
        from coursekit.files import write_atomically

        write_atomically(output, text)


@main.command()
@click.argument("submission", required=False, type=click.Path(path_type=Path))
@click.option("--class", "class_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Grade every student folder or file inside this directory into a CSV gradebook (-o).")
@click.option("--tests", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder with rubric.toml. Default: ./autograder when present, else the public tests.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "gradescope", "junit"]), default="text",
              show_default=True, help="Report format (one submission).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report (or, with --class, the gradebook CSV) to this file, atomically.")
@click.option("--seed", type=int, help="Replay the random cases of an earlier run (its seed is printed).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=2, show_default=True,
              help="With --class: students graded at once.")
@click.option("--force", is_flag=True, help="With --class: grade again students already in the gradebook.")
def grade(submission, class_dir, tests, fmt, output, seed, jobs, force):
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
        _bad_input(error)
    if fmt != "text" or output is not None:
        click.echo(f"seed {report.seed} (re-run with --seed {report.seed})", err=True)
    from coursekit.grading.report import render

    _show(render(report, fmt, color=output is None and sys.stdout.isatty()), output)
    raise SystemExit(0 if report.passed else 1)


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


@main.command()
@click.argument("submission", required=False, type=click.Path(path_type=Path))
def check(submission):
    """Run the public tests on your work (default: ./exercises, else the current folder)."""
    from coursekit import grading
    from coursekit.grading.report import render

    if submission is None:
        submission = Path("exercises") if Path("exercises").is_dir() else Path(".")
    try:
        report = grading.grade(submission, grading.PUBLIC_TESTS)
    except grading.SubmissionError as error:
        _bad_input(error)
    click.echo(render(report, "text", color=sys.stdout.isatty()), nl=False)
    raise SystemExit(0 if report.passed else 1)
