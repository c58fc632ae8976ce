"""The course as a website: each chapter executed from its solutions, then shown without them.

The student version of a notebook stops at its first exercise, so it cannot show what the
chapter draws further down. A published chapter is the solutions notebook run in a real kernel,
with every solution and hidden-test region stripped the way `coursekit assign` strips them and
the outputs of the cells that held one cleared (an output can repeat its code, a traceback say).
Every other cell keeps its outputs: the graphs, the tables, the plots.
"""

from pathlib import Path

from coursekit.course.kernel import run_notebook
from coursekit.course.notebooks import RUN_METADATA, strip_cells, validate_notebook, write_notebook
from coursekit.files import write_atomically


class PublishError(ValueError):
    """A solutions notebook that does not run to the end cannot be published."""


def publish_notebook(solutions_notebook, timeout=300):
    """The executed, solution-free version of one solutions notebook, as a notebook node."""
    run = run_notebook(solutions_notebook, timeout=timeout)
    if run.error is not None:
        raise PublishError(f"{solutions_notebook}: cell {run.failed_cell} raised {run.error}: {run.message}")
    return strip_executed(run.notebook, Path(solutions_notebook).as_posix())


def strip_executed(nb, where):
    """Strip the regions of an executed notebook, clearing the outputs of the cells that had one."""
    before = [cell.source for cell in nb.cells]
    strip_cells(nb, where)
    for cell, source in zip(nb.cells, before):
        if cell.cell_type == "code" and cell.source != source:
            cell.outputs = []
            cell.execution_count = None
        for key in RUN_METADATA:
            cell.metadata.pop(key, None)
    return validate_notebook(nb, where)


def publish(solutions_notebook, target, timeout=300):
    """Write the published version of `solutions_notebook` to `target`."""
    nb = publish_notebook(solutions_notebook, timeout=timeout)
    write_atomically(Path(target), write_notebook(nb).encode("utf-8"))


if __name__ == "__main__":  # the docs build: python -m coursekit.course.publish SOLUTIONS.ipynb TARGET.ipynb
    import sys

    if len(sys.argv) != 3:
        print("usage: python -m coursekit.course.publish SOLUTIONS.ipynb TARGET.ipynb", file=sys.stderr)
        sys.exit(2)
    try:
        publish(sys.argv[1], sys.argv[2])
    except (PublishError, OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(1 if isinstance(error, PublishError) else 2)
