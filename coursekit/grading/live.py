"""What a running kernel holds, as a submission: the cells it executed, graded like a saved notebook.

`%check` grades what the student ran, not what was last saved. The notebook's part is the cells
in the order the kernel ran them, each named as Jupyter shows it ("cell [9]"); a cell run again
replaces its earlier run when the front end says which cell ran (JupyterLab does), so a mistake
already fixed is not reported. value.py is read from disk, as the kernel imports it (the chapters
load it with autoreload). The submission is staged and graded like any other: the child runs the
definitions of these cells, in the same sandbox as `coursekit grade`.
"""

from pathlib import Path

from coursekit.grading.load import MODULE, NOTEBOOK, Submission, cells_to_script, read_file


class CellRuns:
    """Which notebook cell each execution came from ({execution count: cell id}), as the kernel
    is told; registered on IPython's post_run_cell event by `%load_ext coursekit`."""

    def __init__(self):
        self.cell_of = {}

    def record(self, result):
        cell = getattr(result.info, "cell_id", None)
        if cell is not None and result.execution_count:
            self.cell_of[result.execution_count] = cell


def executed_cells(history, cell_of=None):
    """[(name, source)] of the cells a kernel ran, from IPython's raw input history (In: the
    source of execution n at n, In[0] empty), each cell's latest run only when its id is known."""
    cell_of = cell_of or {}
    latest = {cell: count for count, cell in sorted(cell_of.items())}
    return [(f"cell [{count}]", source) for count, source in enumerate(history) if count and source.strip()
            and (count not in cell_of or latest[cell_of[count]] == count)]


def kernel_submission(cells, code_file, folder="."):
    """The submission of an assignment graded from the notebook `code_file`, whose cells are `cells`
    (as executed_cells gives them); value.py beside, if there is one, from disk."""
    module = Path(folder) / MODULE
    files = {NOTEBOOK: cells_to_script(cells, alone=not module.is_file()).encode()}
    sources = ()
    if module.is_file():
        files[MODULE], sources = read_file(module), (module,)
    return Submission("the cells run in this kernel", Path(folder), files, f"notebook:{code_file}", sources)
