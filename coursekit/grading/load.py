"""Step 1: read a submission (a folder like exercises/, one .py file, or one .ipynb notebook).

The result is the set of files the child will see and where in them the assignment's targets
live: a module (value.py) or a chapter notebook. A notebook becomes one script in the "percent"
format (`# %%` before each code cell): the child runs its cells one by one, so an exploration cell
that fails does not hide the definitions.
"""

import hashlib
import json
import os
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

MODULE = "value.py"
NOTEBOOK = "_notebook.py"  # a notebook's cells, staged as one script (coursekit.grading.probe reads it)
CELL_MARKER = "# %% {cell}"  # the cell as a student finds it: "cell [9]", or "cell `def f(x):`"
FIRST_LINE = 40  # characters of a cell's first line that name it
MAX_BYTES = 5_000_000  # a submission is a few small files; anything larger is not source code
IPYTHON_ONLY = re.compile(r"^(\s*)([%!].*)$")  # magics and shell escapes: not Python
IMPORTS_VALUE = re.compile(r"^(\s*)((?:from\s+value\s+import|import\s+value\s*$).*)$")


class SubmissionError(ValueError):
    """The submission cannot be read at all (nothing to grade)."""


@dataclass(frozen=True)
class Submission:
    name: str       # the student, as shown in reports and the gradebook
    path: Path
    files: dict     # relative path -> bytes, as staged for the child
    entry: str      # where the child finds the targets: "module:NAME" or "notebook:NAME.ipynb"
    sources: tuple = ()  # the files read (value.py, the notebook), to say what was graded and when it was saved
    graded: tuple = ()   # (declared file, the file of the upload graded as it): coursekit.grading.finder
    ignored: tuple = ()  # (file, why) of each code file of the upload that was not graded
    notes: tuple = ()    # what the student should know about which files were graded

    @property
    def digest(self):
        """SHA-256 of what is graded (file names and contents): the same code, the same digest."""
        digest = hashlib.sha256()
        for relative in sorted(self.files):
            content = self.files[relative]
            digest.update(f"{relative}\0{len(content)}\0".encode())
            digest.update(content)
        return digest.hexdigest()


def load_submission(path, code_file=MODULE):
    """Read a submission for an assignment whose targets live in `code_file` (value.py or a notebook)."""
    path = Path(path)
    if not path.exists():
        raise SubmissionError(f"{path}: no such file or folder")
    if path.is_dir():
        return _load_folder(path, code_file)
    if path.suffix not in (".py", ".ipynb"):
        raise SubmissionError(f"{path}: a submission is a folder, a .py file or a .ipynb notebook")
    if code_file.endswith(".ipynb"):  # a single file is the chapter's notebook, or value.py (with the notebook beside it)
        if path.suffix == ".ipynb":
            files, sources = {NOTEBOOK: notebook_to_script(path, alone=True).encode()}, (path,)
        else:
            beside = path.parent / code_file
            files = {MODULE: read_file(path), **({NOTEBOOK: notebook_to_script(beside).encode()} if beside.is_file() else {})}
            sources = (path, beside) if beside.is_file() else (path,)
        return Submission(path.stem, path, files, f"notebook:{code_file}", sources)
    if path.suffix == ".ipynb":  # a notebook that holds the class: its cells are the module
        return Submission(path.stem, path, {NOTEBOOK: notebook_to_script(path, alone=True).encode()},
                          f"notebook:{path.name}", (path,))
    return Submission(path.stem, path, {code_file: read_file(path)}, _module(code_file), (path,))


def _module(code_file):
    return "module:" + code_file.removesuffix(".py")


def _load_folder(folder, code_file):
    name = folder.resolve().name
    if not (folder / MODULE).is_file() and not code_file.endswith(".ipynb"):
        candidates = sorted(p for p in folder.iterdir() if p.suffix in (".py", ".ipynb") and p.is_file())
        if len(candidates) != 1:
            found = ", ".join(p.name for p in candidates) or "nothing"
            raise SubmissionError(f"{folder}: expected {MODULE} (or a single .py or .ipynb file), found {found}")
        single = load_submission(candidates[0], code_file)
        return Submission(name, folder, single.files, single.entry, single.sources)
    files, total = {}, 0
    for source in _python_files(folder):
        files[source.relative_to(folder).as_posix()] = content = read_file(source)
        total += len(content)
        if total > MAX_BYTES:
            raise SubmissionError(f"{folder}: more than {MAX_BYTES // 1_000_000} MB of Python files")
    sources = (folder / MODULE,) if MODULE in files else ()
    if not code_file.endswith(".ipynb"):
        return Submission(name, folder, files, _module(code_file), sources)
    notebook = folder / code_file
    if not notebook.is_file():
        notebooks = sorted(folder.glob("*.ipynb"))
        notebook = notebooks[0] if len(notebooks) == 1 else None
    if notebook is not None:
        files[NOTEBOOK] = notebook_to_script(notebook, alone=MODULE not in files).encode()
        sources += (notebook,)
    return Submission(name, folder, files, f"notebook:{code_file}", sources)


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


def read_file(path):
    try:
        return path.read_bytes()
    except OSError as error:
        raise SubmissionError(f"{path}: cannot read it ({error.strerror})") from None


def notebook_to_script(path, alone=False):
    """The code cells of a saved notebook as one script (see cells_to_script), each named by its first line.

    Read as plain JSON (the nbformat schema says what a cell is; validating it would cost more
    than grading takes).
    """
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        cells = [_source(cell) for cell in notebook["cells"] if cell["cell_type"] == "code"]
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise SubmissionError(f"{path}: not a readable notebook ({reason})") from None
    except OSError as error:
        raise SubmissionError(f"{path}: cannot read it ({error.strerror})") from None
    return cells_to_script([(first_line_name(source), source) for source in cells], alone)


def first_line_name(source):
    """A saved cell's name: its first line, as the student sees it ("cell `def softplus(v):`")."""
    line = next((line.strip() for line in source.splitlines() if line.strip()), "")
    return f"cell `{line if len(line) <= FIRST_LINE else line[:FIRST_LINE - 1] + '…'}`"


def cells_to_script(cells, alone=False):
    """[(name, source)] of code cells as one script in the percent format, magics and `!` lines
    turned into `pass` (line numbers kept).

    A chapter notebook imports the student's class with `from value import Value`; graded `alone`
    (no value.py beside it), the notebook *is* value, so those imports become `pass` too.
    """
    parts = []
    for name, source in cells:
        source = textwrap.dedent(source)  # like IPython, which accepts a cell indented as a whole
        lines = [IPYTHON_ONLY.sub(r"\1pass  # \2", line) for line in source.splitlines()]
        if alone:
            lines = [IMPORTS_VALUE.sub(r"\1pass  # \2", line) for line in lines]
        parts.append("\n".join([CELL_MARKER.format(cell=name), *lines]))
    return "\n\n".join(parts) + "\n"


def _source(cell):
    source = cell["source"]
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        return "".join(source)
    if not isinstance(source, str):
        raise TypeError("a cell's source is not text")
    return source
