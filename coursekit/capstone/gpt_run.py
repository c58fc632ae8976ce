"""The capstone end to end: train the names GPT with a progress bar, sample names, save the loss curve.

`coursekit gpt train` and `coursekit demo --gpt` are both this one function, `run_capstone`.
"""

import csv
import io
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from coursekit.capstone.gpt import sample_names, train
from coursekit.files import write_atomically


@dataclass
class CapstoneResult:
    losses: list
    names: list
    seconds: float
    csv_path: Path
    png_path: Path

    def summary(self):
        """One line: how long it took and where the loss went."""
        steps = len(self.losses)
        recent = self.losses[-50:]
        return (
            f"{steps} steps in {self.seconds:.1f} s ({1e3 * self.seconds / steps:.1f} ms/step); "
            f"loss {self.losses[0]:.3f} -> {self.losses[-1]:.3f} "
            f"(mean of the last {len(recent)} steps: {sum(recent) / len(recent):.3f})"
        )


def run_capstone(steps=1000, seed=0, temperature=0.5, out_dir="gpt-output", samples=20, console=None):
    """Train for steps, sample names at temperature, write loss.csv and loss.png into out_dir.

    The folder is created first, so a bad path fails before any training; the files appear
    whole or not at all.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with _training_progress(steps, console or Console(stderr=True)) as on_step:
        run = train(steps, seed, on_step=on_step)
    seconds = time.perf_counter() - start
    names = sample_names(run.model, samples, temperature, seed)
    csv_path, png_path = write_loss_curve(run.losses, out_dir)
    return CapstoneResult(run.losses, names, seconds, csv_path, png_path)


@contextmanager
def _training_progress(steps, console):
    """A rich progress bar showing step, loss and steps/s; yields the on_step callback that moves it."""
    columns = (
        TextColumn("training  step {task.completed:>5}/{task.total}"),
        BarColumn(),
        TextColumn("loss {task.fields[loss]:.4f}"),
        TextColumn("{task.fields[rate]:6.1f} steps/s"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("train", total=steps, loss=float("nan"), rate=0.0)
        start = time.perf_counter()

        def on_step(step, loss):
            rate = step / max(time.perf_counter() - start, 1e-9)
            progress.update(task, completed=step, loss=loss, rate=rate)

        yield on_step


def write_loss_curve(losses, out_dir):
    """loss.csv (step, loss, mean of the last 50) and loss.png in out_dir, each written atomically."""
    out_dir = Path(out_dir)
    smoothed = _running_mean(losses, window=50)
    table = io.StringIO()
    writer = csv.writer(table, lineterminator="\n")
    writer.writerow(["step", "loss", "mean_last_50"])
    writer.writerows((step, repr(loss), repr(mean)) for step, (loss, mean) in enumerate(zip(losses, smoothed), start=1))
    csv_path, png_path = out_dir / "loss.csv", out_dir / "loss.png"
    write_atomically(csv_path, table.getvalue())
    write_atomically(png_path, _plot_png(losses, smoothed))
    return csv_path, png_path


def _running_mean(values, window):
    means, running = [], 0.0
    for i, value in enumerate(values):
        running += value - (values[i - window] if i >= window else 0.0)
        means.append(running / min(i + 1, window))
    return means


def _plot_png(losses, smoothed):
    import matplotlib  # imported here: it takes a second, and only this function needs it

    matplotlib.use("Agg")  # files only, no display needed
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7, 4), dpi=100)
    axes = figure.subplots()
    steps = range(1, len(losses) + 1)
    axes.plot(steps, losses, color="tab:blue", alpha=0.3, linewidth=0.8, label="loss of the step's name")
    axes.plot(steps, smoothed, color="tab:blue", linewidth=2, label="mean of the last 50 steps")
    axes.set(xlabel="step", ylabel="cross-entropy (nats)", title="names GPT, one scalar at a time")
    axes.legend()
    png = io.BytesIO()
    figure.savefig(png, format="png")
    return png.getvalue()
