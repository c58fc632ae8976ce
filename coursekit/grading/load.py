"""Step 1: read a submission (a folder like exercises/, one .py file, or one .ipynb notebook).

The result is the set of files the child will see; the student's class is always staged as
value.py. A notebook becomes one script in the "percent" format (`# %%` before each code cell):
the child runs its cells one by one, so an exploration cell that fails does not hide the class.
A chapter notebook imports the student's class with `from value import Value`; graded on its own,
the notebook *is* value, so those imports are skipped rather than importing the notebook itself.
"""

import hashlib
import os
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

MODULE = "value.py"
CELL_MARKER = "# %% cell {number}"
MAX_BYTES = 5_000_000  # a submission is a few small files; anything larger is not source code
IPYTHON_ONLY = re.compile(r"^(\s*)([%!].*)$")  # magics and shell escapes: not Python
IMPORTS_ITSELF = re.compile(r"^(\s*)((?:from\s+value\s+import|import\s+value\s*$).*)$")


class SubmissionError(ValueError):
    """The submission cannot be read at all (nothing to grade)."""


@dataclass(frozen=True)
class Submission:
    name: str       # the student, as shown in reports and the gradebook
    path: Path
    files: dict     # relative path -> bytes, value.py among them
    notebook: bool  # value.py holds notebook cells, run one by one

    @property
    def digest(self):
        """SHA-256 of what is graded (file names and contents): the same code, the same digest."""
        digest = hashlib.sha256()
        for relative in sorted(self.files):
            content = self.files[relative]
            digest.update(f"{relative}\0{len(content)}\0".encode())
            digest.update(content)
        return digest.hexdigest()


def load_submission(path):
    path = Path(path)
    if path.is_dir():
        return _load_folder(path)
    if not path.is_file():
        raise SubmissionError(f"{path}: no such file or folder")
    if path.suffix == ".ipynb":
        return Submission(path.stem, path, {MODULE: notebook_to_script(path).encode()}, notebook=True)
    if path.suffix == ".py":
        return Submission(path.stem, path, {MODULE: _read(path)}, notebook=False)
    raise SubmissionError(f"{path}: a submission is a folder, a .py file or a .ipynb notebook")


def _load_folder(folder):
    if not (folder / MODULE).is_file():
        candidates = sorted(p for p in folder.iterdir() if p.suffix in (".py", ".ipynb") and p.is_file())
        if len(candidates) != 1:
            found = ", ".join(p.name for p in candidates) or "nothing"
            raise SubmissionError(f"{folder}: expected {MODULE} (or a single .py or .ipynb file), found {found}")
        submission = load_submission(candidates[0])
        return Submission(folder.resolve().name, folder, submission.files, submission.notebook)
    files, total = {}, 0
    for source in _python_files(folder):
        files[source.relative_to(folder).as_posix()] = content = _read(source)
        total += len(content)
        if total > MAX_BYTES:
            raise SubmissionError(f"{folder}: more than {MAX_BYTES // 1_000_000} MB of Python files")
    return Submission(folder.resolve().name, folder, files, notebook=False)


def _python_files(folder):
    """The .py files under folder, without hidden folders, caches or symbolic links.

    A link could point anywhere on the grading machine (the grader may run as root), and its
    target would be copied to where the submission can read it.
    """
    for root, folders, names in os.walk(folder):
        folders[:] = sorted(name for name in folders if not name.startswith(".") and name != "__pycache__")
        for name in sorted(names):
            path = Path(root) / name
            if name.endswith(".py") and not name.startswith(".") and not path.is_symlink():
                yield path


def _read(path):
    try:
        return path.read_bytes()
    except OSError as error:
        raise SubmissionError(f"{path}: cannot read it ({error.strerror})") from None


def notebook_to_script(path):
    """The code cells of a notebook, magics, `!` lines and imports of `value` turned into `pass`
    (line numbers kept)."""
    import nbformat  # here, not at the top: with jsonschema's format extras it takes seconds to import

    try:
        notebook = nbformat.read(path, as_version=4)
        cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    except Exception as error:  # nbformat raises many kinds (JSON, schema, version, encoding)
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise SubmissionError(f"{path}: not a readable notebook ({reason})") from None
    parts = []
    for number, cell in enumerate(cells, start=1):
        source = textwrap.dedent(cell.source)  # like IPython, which accepts a cell indented as a whole
        lines = [IMPORTS_ITSELF.sub(r"\1pass  # \2", IPYTHON_ONLY.sub(r"\1pass  # \2", line)) for line in source.splitlines()]
        parts.append("\n".join([CELL_MARKER.format(number=number), *lines]))
    return "\n\n".join(parts) + "\n"
