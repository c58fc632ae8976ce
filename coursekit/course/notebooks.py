"""The notebook steps of `coursekit assign`: read, strip each cell, clear outputs, validate, write."""

import json

import nbformat

from coursekit.course.markers import ANSWER_PLACEHOLDER, CODE_PLACEHOLDER, strip_hidden_tests, strip_solutions

# Cell metadata that only records a past run (nbclient, classic Notebook, JupyterLab).
RUN_METADATA = ("execution", "ExecuteTime", "collapsed", "scrolled")


class NotebookError(ValueError):
    """A notebook that cannot be read or does not validate."""


def read_notebook(text, where):
    """Parse a notebook, giving cells without an id a stable one.

    nbformat would invent random ids for such cells, and `assign` must be deterministic.
    """
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise NotebookError(f"{where}, line {error.lineno}: not a notebook (invalid JSON: {error.msg})") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("cells"), list):
        raise NotebookError(f"{where}: not a notebook (no list of cells)")
    if (raw.get("nbformat"), raw.get("nbformat_minor", 0)) >= (4, 5):
        for number, cell in enumerate(raw["cells"], 1):
            if isinstance(cell, dict):
                cell.setdefault("id", f"cell-{number}")
    try:
        return nbformat.reads(json.dumps(raw), as_version=4)
    except Exception as error:  # nbformat raises several unrelated types for a bad notebook
        raise NotebookError(f"{where}: not a valid notebook ({error})") from None


def strip_cells(nb, where):
    """Hidden tests out and solutions replaced, cell by cell (markdown answers get a prose placeholder)."""
    for number, cell in enumerate(nb.cells, 1):
        cell_where = f"{where}, cell {number}"
        placeholder = ANSWER_PLACEHOLDER if cell.cell_type == "markdown" else CODE_PLACEHOLDER
        source = strip_hidden_tests(cell.source, cell_where)
        cell.source = strip_solutions(source, cell_where, placeholder)
    return nb


def clear_outputs(nb):
    """No outputs, execution counts or run metadata: students start from a clean notebook."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        for key in RUN_METADATA:
            cell.metadata.pop(key, None)
    return nb


def validate_notebook(nb, where):
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as error:
        raise NotebookError(f"{where}: the result is not a valid notebook ({error.message})") from None
    return nb


def write_notebook(nb):
    """nbformat's own serialisation (sorted keys, one-space indent) with a final newline, as Jupyter saves."""
    return nbformat.writes(nb) + "\n"


def assign_notebook(text, where):
    """The student version of a notebook."""
    nb = read_notebook(text, where)
    nb = clear_outputs(strip_cells(nb, where))
    return write_notebook(validate_notebook(nb, where))
