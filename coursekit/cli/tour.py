"""`coursekit demo` and `coursekit gradcheck`: look at the engine at work."""

import sys
from pathlib import Path

import click


@click.command("gradcheck")
@click.option("--nudge", "h", default=1e-4, show_default=True, help="How far to nudge each input.")
def gradcheck_command(h):
    """Nudge every operation's input and compare the measured slope with backward().

    Exits 1 if any operation disagrees by more than its curvature explains.
    """
    from coursekit import gradcheck
    from coursekit.cli import tables

    if not 0 < h < 1:
        raise click.BadParameter("the nudge must be between 0 and 1", param_hint="--nudge")
    rows = gradcheck.nudge_table(h)
    tables.print_nudge_table(rows, h)
    sys.exit(0 if all(row.ok for row in rows) else 1)


@click.command("demo")
@click.option("--out", default="demo-output", show_default=True, type=click.Path(file_okay=False),
              help="Where to write the graph picture.")
@click.option("--train", is_flag=True, help="Also train an MLP on two moons and plot its loss.")
@click.option("--gpt", "with_gpt", is_flag=True, help="Also train the names GPT for 50 steps and sample names.")
def demo_command(out, train, with_gpt):
    """A short tour: the textbook expression, its graph, the nudge test and the grader."""
    from coursekit import demo
    from coursekit.cli import tables
    from coursekit.cli.gpt import train_and_show

    console = tables.console()
    demo.tour(console, out)
    if train:
        demo.train_with_progress(console)
    if with_gpt:
        console.print("\n[bold]The capstone[/]: a GPT on names, 50 steps (`coursekit gpt train` runs 1000).")
        train_and_show(out=Path(out) / "gpt", console=console, steps=50)
