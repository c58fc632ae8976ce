"""Where a submission defines what a test calls: value.py, or a notebook cell by the name it is shown by.

A failing test is then told as "fix softplus in cell [9]" rather than "fix your submission".
"""

import ast
import re

from coursekit import syntax
from coursekit.grading.load import MODULE, NOTEBOOK
from coursekit.grading.probe import CELL, bound_names, defines


def definitions(submission):
    """{name: where it is defined}, "value.py" or a cell's name; of several definitions the last
    one run wins, as in the kernel. A name a cell imports from value.py lives in value.py."""
    module = next((path.name for path in submission.sources if path.suffix == ".py"), MODULE)  # as the student named it
    places = {}
    if MODULE in submission.files:
        places.update((name, module) for name, _ in _defined(_text(submission.files[MODULE])))
    if NOTEBOOK in submission.files:
        pieces = re.split(CELL, _text(submission.files[NOTEBOOK]), flags=re.MULTILINE)
        for cell, source in zip(pieces[1::2], pieces[2::2]):
            places.update((name, module if from_value else cell) for name, from_value in _defined(source))
    return places


def in_a_cell(where):
    """Whether a place of definitions() is a notebook cell (else it is the module file)."""
    return where.startswith("cell ")


def test_places(spec, places):
    """(name, where) of what a test calls that the submission defines: the names in its targets'
    expressions, else in their setup; the Value class when it calls nothing else."""
    for part in ("expression", "setup", "wrt"):
        names = [name for target in spec.targets for name in _called(target, part) if name in places]
        if names:
            return tuple((name, places[name]) for name in dict.fromkeys(names))
    return (("Value", places["Value"]),) if "Value" in places else ()


def _defined(source):
    """[(name, from value.py?)] of what the grader runs of a piece of code: its definitions."""
    try:
        statements = syntax.parse(source).body
    except SyntaxError:
        return []
    value = MODULE.removesuffix(".py")
    return [(name, isinstance(statement, ast.ImportFrom) and statement.module == value)
            for statement in statements if defines(statement)
            for name in (bound_names(statement) if not isinstance(statement, _DEFINITIONS) else [statement.name])]


_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _called(target, part):
    """The names a part of a target uses, without its inputs and what its setup binds itself."""
    code = getattr(target, part)
    if not code:
        return []
    local = set(target.names) | {name for node in ast.walk(syntax.parse(target.setup or "0"))
                                 if isinstance(node, (ast.Assign, ast.For)) for name in _targets(node)}
    return [node.id for node in ast.walk(syntax.parse(code)) if isinstance(node, ast.Name) and node.id not in local]


def _targets(node):
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    return [leaf.id for target in targets for leaf in ast.walk(target) if isinstance(leaf, ast.Name)]


def _text(content):
    return content.decode("utf-8", errors="replace")
