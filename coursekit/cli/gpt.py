"""`coursekit gpt train`: the chapter 6 capstone from the command line."""

from pathlib import Path

import click


@click.group()
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
    train_and_show(steps=steps, seed=seed, temperature=temperature, samples=samples, out=out)


def train_and_show(out, console=None, **options):
    """Train, print the sampled names on stdout and the summary on stderr (shared with `demo --gpt`)."""
    from coursekit.capstone.gpt_run import run_capstone

    try:
        result = run_capstone(out_dir=out, console=console, **options)
    except OSError as error:
        raise click.UsageError(f"cannot write to --out {str(out)!r}: {error.strerror or error}") from None
    for name in result.names:
        click.echo(name)
    click.echo(result.summary(), err=True)
    click.echo(f"loss curve: {result.csv_path} and {result.png_path}", err=True)
