"""`coursekit demo`: a short tour of the engine, the picture, the nudge test and the grader."""

from pathlib import Path

from rich.progress import Progress, TextColumn
from rich.table import Table

from coursekit import gradcheck, grading
from coursekit.capstone.moons import make_moons, moons_model, train
from coursekit.cli import tables
from coursekit.course.layout import CourseLayout
from coursekit.engine import Value
from coursekit.files import write_atomically
from coursekit.tracing.drawing import Drawing
from coursekit.tracing.engines import TraceError
from coursekit.tracing.graph import trace


def textbook_example():
    """L = (a*b + c) * f with a=2, b=-3, c=10, f=-2, every node labelled, after backward()."""
    a, b, c, f = (Value(x, label=name) for x, name in ((2.0, "a"), (-3.0, "b"), (10.0, "c"), (-2.0, "f")))
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    L = d * f
    L.label = "L"
    L.backward()
    return [a, b, c, f, e, d, L]


def node_table(nodes):
    table = Table(title="L = (a*b + c) * f, after L.backward()")
    for column in ("node", "op", "data", "grad"):
        table.add_column(column, justify="right")
    for node in nodes:
        table.add_row(node.label, node._op or "leaf", f"{node.data:g}", f"{node.grad:g}")
    return table


def write_graph(root, path):
    # %%trace's layout, not graphviz's pipe(): a missing or stuck `dot` becomes one clear TraceError.
    write_atomically(Path(path), Drawing(trace(root)).picture("svg"))
    return path


def tour(console, out_dir="demo-output"):
    nodes = textbook_example()
    console.print(node_table(nodes))
    try:
        svg = write_graph(nodes[-1], Path(out_dir) / "graph.svg")
        console.print(f"The graph of L is in [bold]{svg}[/]: open it in a browser.\n")
    except TraceError as error:
        console.print(f"[yellow]No picture of the graph:[/] {error}\n")
    tables.print_nudge_table(gradcheck.nudge_table(), 1e-4, console)
    grade_course(console)


def grade_course(console, folders=(CourseLayout.SOLUTIONS, CourseLayout.EXERCISES)):
    """Grade the reference solution and the untouched exercises, when the course is built."""
    built = [folder for folder in folders if Path(folder, "value.py").is_file()]
    for folder in folders:
        if folder not in built:
            console.print(f"[yellow]{folder}/ is not built yet[/]: nothing to grade there.")
    if not built:
        return
    assignments = grading.find_assignments(CourseLayout().autograder)
    if not assignments:
        console.print(f"[yellow]no {CourseLayout.AUTOGRADER}/ here[/]: nothing to grade with.")
        return
    table = Table(title=f"coursekit grade, tests from {CourseLayout.AUTOGRADER}/")
    table.add_column("test")
    for folder in built:
        table.add_column(f"{folder}/", justify="right")
    for name, tests in assignments.items():
        plan = grading.plan_run(tests)
        reports = [grading.grade_plan(Path(folder), plan) for folder in built]
        for i, test in enumerate(reports[0].tests):
            table.add_row(f"{name} {test.name}", *(_points(report.tests[i]) for report in reports))
        table.add_row(f"[bold]{name} total", *(f"[bold]{r.score:g}/{r.max_score:g}" for r in reports))
    console.print(table)


def _points(test):
    """A test's score, or whether it passed when it is worth no points (a practice test)."""
    if not test.max_score:
        return f"practice {'✓' if test.status == 'passed' else '✗'}"
    return f"{test.score:g}/{test.max_score:g}"


def train_with_progress(console, steps=100):
    """Train the two-moons classifier with a progress bar; return its TrainingSteps."""
    points, labels = make_moons()
    history = []
    with Progress(*Progress.get_default_columns(), TextColumn("{task.fields[status]}"), console=console) as bar:
        task = bar.add_task("training MLP(2, [16, 16, 1]) on two moons", total=steps, status="")
        for step in train(moons_model(), points, labels, steps):
            history.append(step)
            bar.update(task, advance=1, status=f"loss {step.loss:.4f}  accuracy {step.accuracy:.0%}")
    console.print(tables.text_curve([step.loss for step in history], title="loss per step"))
    best = max(history, key=lambda step: step.accuracy)
    console.print(f"final loss {history[-1].loss:.4f}, accuracy {history[-1].accuracy:.0%} (best {best.accuracy:.0%})")
    return history
