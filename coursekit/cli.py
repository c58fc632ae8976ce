"""The `coursekit` command: a thin face over the library's functions."""

import sys
from pathlib import Path

import click

from coursekit import demo, gradcheck, render
from coursekit.capstone import run_capstone


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="coursekit")
def main():
    """Learn automatic differentiation by building it one scalar at a time."""


@main.command("gradcheck")
@click.option("--nudge", "h", default=1e-4, show_default=True, help="How far to nudge each input.")
def gradcheck_command(h):
    """Nudge every operation's input and compare the measured slope with backward().

    Exits 1 if any operation disagrees by more than its curvature explains.
    """
    if not 0 < h < 1:
        raise click.BadParameter("the nudge must be between 0 and 1", param_hint="--nudge")
    rows = gradcheck.nudge_table(h)
    render.print_nudge_table(rows, h)
    sys.exit(0 if all(row.ok for row in rows) else 1)


@main.command("demo")
@click.option("--out", default="demo-output", show_default=True, type=click.Path(file_okay=False),
              help="Where to write the graph picture.")
@click.option("--train", is_flag=True, help="Also train an MLP on two moons and plot its loss.")
@click.option("--gpt", "with_gpt", is_flag=True, help="Also train the names GPT for 50 steps and sample names.")
def demo_command(out, train, with_gpt):
    """A short tour: the textbook expression, its graph, the nudge test and the grader."""
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
    try:
        result = run_capstone(out_dir=out, console=console, **options)
    except OSError as error:
        raise click.UsageError(f"cannot write to --out {str(out)!r}: {error.strerror or error}") from None
    for name in result.names:
        click.echo(name)
    click.echo(result.summary(), err=True)
    click.echo(f"loss curve: {result.csv_path} and {result.png_path}", err=True)
