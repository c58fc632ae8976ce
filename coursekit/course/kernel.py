"""Running a course notebook top to bottom in a real kernel, to see where (and whether) it stops.

A solutions notebook must run without error. An exercises notebook must stop at its first
exercise cell with NotImplementedError: it is gradable, and not accidentally solved. An exercise
cell is a code cell tagged `exercise` (Jupyter's cell tags): one that runs the student's work,
such as the test after a function to write or a check of `value.py`.
"""

import os
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import nbformat

from coursekit import DISTRIBUTION

EXERCISE_TAG = "exercise"


class KernelMissing(ValueError):
    """nbclient or ipykernel is not installed."""


@dataclass(frozen=True)
class NotebookRun:
    path: Path
    failed_cell: int | None  # 1-based number of the cell that raised, None if all ran
    error: str | None        # the exception's class name, e.g. "NotImplementedError"
    message: str             # the exception's message
    notebook: object         # the executed notebook, outputs included


def first_exercise_cell(nb):
    """1-based number of the first cell tagged `exercise`, or None."""
    for number, cell in enumerate(nb.cells, 1):
        if EXERCISE_TAG in cell.metadata.get("tags", ()):
            return number
    return None


def run_notebook(path, timeout=300):
    """Execute every cell in a fresh kernel whose working folder is the notebook's own.

    The kernel sees the Python that runs coursekit, with its scripts folder first on PATH, so a
    `!coursekit check` cell finds the same installation (as in an activated virtual environment).
    """
    try:
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError
    except ImportError:
        raise KernelMissing("running notebooks needs nbclient and ipykernel: "
                            f"pip install '{DISTRIBUTION}[instructor]' (or skip them with --no-notebooks)") from None

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    scripts = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": scripts + os.pathsep + os.environ.get("PATH", "")}
    with _kernel_manager() as manager:
        client = NotebookClient(nb, timeout=timeout, km=manager, resources={"metadata": {"path": str(path.parent)}})
        try:
            client.execute(env=env)
        except CellExecutionError as error:
            return NotebookRun(path, _failed_cell_number(nb), error.ename, error.evalue, nb)
    return NotebookRun(path, None, None, "", nb)


@contextmanager
def _kernel_manager():
    """A kernel that talks over Unix sockets in a private temporary folder where the system has
    them: over TCP (Windows) every kernel warns that its traffic is unencrypted, and validation
    should print nothing unless something is wrong."""
    from jupyter_client.manager import KernelManager

    if os.name == "nt":
        yield KernelManager(kernel_name="python3")
        return
    with tempfile.TemporaryDirectory(prefix="coursekit-kernel-") as folder:
        yield KernelManager(kernel_name="python3", transport="ipc", ip=str(Path(folder) / "kernel"))


def _failed_cell_number(nb):
    for number, cell in enumerate(nb.cells, 1):
        if any(output.get("output_type") == "error" for output in cell.get("outputs", ())):
            return number
    return None
