"""The `coursekit` command: a thin face over the library's functions."""

import sys

import click

from coursekit import demo, gradcheck, render


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
def demo_command(out, train):
    """A short tour: the textbook expression, its graph, the nudge test and the grader."""
    console = render.console()
    demo.tour(console, out)
    if train:
        demo.train_with_progress(console)
