"""Run cells in a real kernel (nbclient + ipykernel), once, as a notebook would."""

import nbformat
from nbclient import NotebookClient


def run_cells(cells, folder):
    """{cell name: (cell with its outputs, execute reply)} after running `cells` ({name: source}) in
    order in one kernel whose working folder is `folder`."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in cells.values()])
    replies = {}
    client = NotebookClient(
        notebook, timeout=300, kernel_name="python3", allow_errors=True,
        resources={"metadata": {"path": str(folder)}},
        on_cell_executed=lambda cell, cell_index, execute_reply: replies.__setitem__(cell_index, execute_reply),
    )
    client.execute()
    return {name: (notebook.cells[i], replies[i]) for i, name in enumerate(cells)}
