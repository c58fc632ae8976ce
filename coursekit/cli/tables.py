"""Turning results into tables for the terminal."""

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

DRIFT_NOTE = (
    "A one-sided nudge measures the slope of the chord from x to x+h, not of the tangent at x.\n"
    "Where the function curves, the chord tilts by about h * f''(x) / 2: that is the drift column.\n"
    "Straight operations (add, mul, neg, sub, a / 4) have none; shrink h and the drift shrinks with it."
)


def nudge_table(rows, h):
    table = Table(title=f"The nudge test: one-sided nudge (h = {h:g}) against backward()", box=box.SIMPLE_HEAD)
    for column in ("op", "expression", "at", "nudged", "backward", "difference", "drift h·f''/2", ""):
        table.add_column(column, justify="left" if column in ("op", "expression") else "right", no_wrap=True)
    for row in rows:
        op = row.operation
        table.add_row(
            op.name,
            escape(op.expression),  # Value.sum([a, -2]) is no markup
            f"{op.at:g}",
            f"{row.measured:.6f}",
            f"{row.backward:.6f}",
            f"{row.measured - row.backward:+.2e}",
            f"{row.drift:+.2e}",
            "[green]ok[/]" if row.ok else "[red]DISAGREE[/]",
        )
    return table


def console():
    """Rich's console; when the output is a file or a pipe, wide enough for our tables."""
    plain = Console()
    return plain if plain.is_terminal else Console(width=max(plain.width, 120))


def print_nudge_table(rows, h, out=None):
    out = out or console()
    out.print(nudge_table(rows, h))
    out.print(DRIFT_NOTE)


def text_curve(values, width=60, height=10, title=""):
    """A line chart in characters: one column per bucket of values, highest at the top."""
    buckets = [values[i * len(values) // width] for i in range(min(width, len(values)))]
    low, high = min(buckets), max(buckets)
    span = (high - low) or 1.0
    rows = [f"{title}  (max {high:.4g}, min {low:.4g})"] if title else []
    for level in range(height - 1, -1, -1):
        line = "".join("•" if round((v - low) / span * (height - 1)) == level else " " for v in buckets)
        rows.append(f"│{line}")
    rows.append("└" + "─" * len(buckets))
    return "\n".join(rows)


def verdict_table(verdicts):
    """`coursekit assign --validate`: one row per check, what was expected and what happened."""
    table = Table(title="Is the assignment gradable?", box=box.SIMPLE_HEAD)
    for column in ("", "checked", "expected", "got"):
        table.add_column(column, overflow="fold")
    for verdict in verdicts:
        mark = "[green]ok[/]" if verdict.ok else "[yellow]warn[/]" if verdict.warning else "[red]FAIL[/]"
        table.add_row(mark, verdict.subject, verdict.expected, verdict.got)
    return table


def mutants_table(report):
    """`assign --validate --mutants`: per test, the wrong variants of the solution it fails and lets through."""
    table = Table(title=f"{report.assignment}: mutation score {report.score:g}%", box=box.SIMPLE_HEAD)
    for column in ("test", "mutants", "killed", "equivalent", "score", "lets through"):
        table.add_column(column, overflow="fold", justify="right" if column in ("mutants", "killed", "equivalent", "score")
                         else "left")
    for test in report.tests:
        through = [f"{escape(name)} ({'killed by another test' if name in report.killed else '[red]survives[/]'})"
                   for name in test.survived]
        total = len(test.killed) + len(test.survived) + len(test.equivalent)
        table.add_row(test.test, str(total), str(len(test.killed)), str(len(test.equivalent)), f"{test.score:g}%",
                      "\n".join(through) or "nothing")
    return table
