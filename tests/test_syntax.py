"""Parsing on many threads at once (a class run, the mutation score): coursekit.syntax.parse never fails."""

import ast
import json
import threading
from pathlib import Path

import coursekit
from coursekit import syntax
from coursekit.grading.sandbox import CHILD_MODULES

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = Path(coursekit.__file__).parent
# The sandboxed child (the probe and the modules it takes along) parses alone in its own process:
# it needs no lock, and has no coursekit.syntax to import.
CHILD = {PACKAGE / "grading" / "probe.py", *(PACKAGE.parent / f"{name.replace('.', '/')}.py" for name in CHILD_MODULES)}
PARSES_ON_ITS_OWN = {PACKAGE / "syntax.py", *CHILD}


def course_sources():
    """The solution's value.py and every code cell of its notebooks that is Python."""
    cells = ["".join(cell["source"]) for notebook in sorted((ROOT / "solutions").glob("*.ipynb"))
             for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"] if cell["cell_type"] == "code"]
    return [(ROOT / "solutions" / "value.py").read_text(encoding="utf-8"), *filter(_is_python, cells)]


def _is_python(source):
    try:
        return bool(ast.parse(source).body)
    except SyntaxError:  # a cell with a magic
        return False


class Cyclic:
    """Garbage only a collection frees, running Python code when it does: what lets another thread
    in during a parse (as a subprocess or a generator dropped mid-way does while grading)."""

    def __init__(self):
        self.itself = self

    def __del__(self):
        sum(range(50))


def test_many_threads_parsing_at_once_each_get_their_tree():
    sources = course_sources()
    expected = [ast.dump(ast.parse(source)) for source in sources]
    failures, wrong = [], []

    def parse_all(offset):
        for turn in range(40):
            index = (offset + turn) % len(sources)
            Cyclic()
            try:
                if ast.dump(syntax.parse(sources[index], "value.py")) != expected[index]:
                    wrong.append(index)
            except Exception as error:  # noqa: BLE001 - any failure is what this test looks for
                failures.append(repr(error))

    threads = [threading.Thread(target=parse_all, args=(offset,), daemon=True) for offset in range(32)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)  # a hang guard only
    assert not any(thread.is_alive() for thread in threads)
    assert failures == [] and wrong == []


def test_syntax_errors_come_through_with_the_file_name():
    try:
        syntax.parse("def f(:\n", "value.py")
    except SyntaxError as error:
        assert (error.filename, error.lineno) == ("value.py", 1)
    else:
        raise AssertionError("a syntax error was parsed")


def direct_parses(path):
    """Lines of `path` that parse Python into an ast tree without coursekit.syntax."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "ast" \
                and node.attr in ("parse", "literal_eval", "PyCF_ONLY_AST"):
            found.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.module == "ast" and \
                {alias.name for alias in node.names} & {"parse", "literal_eval", "PyCF_ONLY_AST"}:
            found.append(node.lineno)
    return found


def test_coursekit_parses_only_through_the_lock():
    direct = {f"{path.relative_to(PACKAGE.parent)}:{line}" for path in PACKAGE.rglob("*.py")
              if path not in PARSES_ON_ITS_OWN for line in direct_parses(path)}
    assert direct == set(), "parse with coursekit.syntax.parse (see its docstring for why)"


def test_the_check_finds_a_direct_parse():
    assert direct_parses(PACKAGE / "syntax.py") and all(path.is_file() for path in CHILD)
    assert direct_parses(PACKAGE / "grading" / "probe.py")
