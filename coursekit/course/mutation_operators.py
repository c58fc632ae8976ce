"""Wrong variants of the solution, one small change each, to test the tests (mutation testing).

Only code between `### BEGIN SOLUTION` and `### END SOLUTION` is changed: that is what students
write. The operators are the mistakes students make in this course, in the families of
Cosmic Ray's and mutmut's operators (binary-operator, unary-operator, number and augmented-
assignment replacement), narrowed to arithmetic:

| operator | example |
|---|---|
| operand swap | `a - b` → `b - a`; in a tuple passed to a call (a Value's children or local gradients), two neighbours |
| sign flip | `a + b` → `a - b`, `-x` → `x`, `2` → `-2`, `+=` → `-=` |
| dropped factor | `a * b` → `a`, `a / b` → `a` |
| extra factor | `a * b` → `a * b * b` |
| wrong exponent | `a ** n` → `a ** (n + 1)`, `a ** (n - 1)` |
| `=` instead of `+=` | `child.grad += g` → `child.grad = g` |
| off by one | `1` → `0`, `2`; `>` → `>=` |
| constant instead of computation | `1 / self.data` → `1.0` |

Swapping the operands of `+` or `*` is left out: for numbers it is always an equivalent mutant.
A mutant is named by where it is, the function it changes and the change itself, e.g.
"value.py: Value.__mul__: `(other.data, self.data)` → `(self.data, other.data)`", a name that
stays the same when unrelated lines move.
"""

import ast
import copy
import json
from dataclasses import dataclass, replace

from coursekit import syntax
from coursekit.course.markers import SOLUTION, find_regions
from coursekit.grading.load import IPYTHON_ONLY

SWAPPABLE = (ast.Sub, ast.Div, ast.Pow, ast.FloorDiv, ast.Mod)
COMPARISONS = {ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Lt: ast.LtE, ast.LtE: ast.Lt}


@dataclass(frozen=True)
class Mutant:
    file: str        # the submission's file it changes (value.py, or the chapter's notebook)
    region: int      # which solution region of that file (0-based)
    function: str    # the function (or cell) it changes, e.g. Value.__mul__
    operator: str
    before: str
    after: str
    text: str        # the whole mutated file
    occurrence: int = 1  # the same change at several places of one function: which one

    @property
    def name(self):
        again = f" (#{self.occurrence})" if self.occurrence > 1 else ""
        return f"{self.file}: {self.function}: `{self.before}` → `{self.after}`{again}"


def mutants_of(file, text):
    """Every mutant of the solution regions of a Python file or of a notebook's code cells."""
    if not file.endswith(".ipynb"):
        return list(_unique(_mutants(text, file, lambda spliced: spliced)))
    notebook, found, before = json.loads(text), [], 0
    for number, source in _solution_cells(notebook):
        rebuild = lambda spliced, number=number: _with_cell(notebook, number, spliced)  # noqa: E731
        cell = _mutants(source, file, rebuild, f"cell {number + 1}")
        found += [replace(mutant, region=mutant.region + before) for mutant in cell]
        before += _count_regions(source, file)
    return list(_unique(found))


def count_regions(file, text):
    if not file.endswith(".ipynb"):
        return _count_regions(text, file)
    return sum(_count_regions(source, file) for _, source in _solution_cells(json.loads(text)))


def stub_region(file, text, region):
    """`text` with only solution region number `region` replaced by the exercise's placeholder."""
    if not file.endswith(".ipynb"):
        return _stub(text, file, region)
    notebook = json.loads(text)
    for number, source in _solution_cells(notebook):
        count = _count_regions(source, file)
        if region < count:
            return _with_cell(notebook, number, _stub(source, file, region))
        region -= count
    raise IndexError(f"{file} has no solution region {region}")


def _stub(text, file, region):
    lines = text.splitlines(keepends=True)
    chosen = [r for r in find_regions(text, file) if r.kind == SOLUTION][region]
    return "".join([*lines[: chosen.begin + 1], f"{chosen.indent}raise NotImplementedError()\n", *lines[chosen.end:]])


def _count_regions(text, file):
    return sum(region.kind == SOLUTION for region in find_regions(text, file))


def _solution_cells(notebook):
    for number, cell in enumerate(notebook["cells"]):
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "code" and SOLUTION in source:
            yield number, source


def _with_cell(notebook, number, source):
    changed = copy.deepcopy(notebook)
    changed["cells"][number]["source"] = source
    return json.dumps(changed, indent=1, ensure_ascii=False) + "\n"


def _mutants(source, file, rebuild, cell=""):
    regions = [r for r in find_regions(source, file) if r.kind == SOLUTION]
    if not regions:
        return
    parseable = "\n".join(IPYTHON_ONLY.sub(r"\1pass  # \2", line) for line in source.splitlines())
    tree = syntax.parse(parseable)
    for parent in ast.walk(tree):
        for child in ast.iter_child_nodes(parent):
            child.parent = parent
    functions = _enclosing_functions(tree)
    lines = source.splitlines(keepends=True)
    in_order = sorted((node for node in ast.walk(tree) if hasattr(node, "lineno")), key=lambda n: (n.lineno, n.col_offset))
    for node in in_order:  # the mutants in the order of the source
        index = _region_of(node, regions)
        if index is None:
            continue
        for operator, replacement in _operators(node):
            before, after = ast.get_source_segment(parseable, node), ast.unparse(replacement)
            spliced = _splice(lines, node, after)
            yield Mutant(file, index, functions.get(node, cell), operator, before, after, rebuild(spliced))


def _region_of(node, regions):
    if not isinstance(node, (ast.expr, ast.AugAssign)) or not hasattr(node, "lineno"):
        return None
    for index, region in enumerate(regions):  # body lines, 1-based: begin + 2 .. end
        if region.begin + 2 <= node.lineno and node.end_lineno <= region.end:
            return index
    return None


def _enclosing_functions(tree):
    """{node: qualified name of the function around it}."""
    names = {}

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}{child.name}"
                for inner in ast.walk(child):
                    names[inner] = name
                visit(child, f"{name}.")
            else:
                visit(child, prefix)

    visit(tree, "")
    return names


def _splice(lines, node, text):
    """The source with `node`'s span replaced by `text` (ast's columns count UTF-8 bytes)."""
    def offset(line, column):
        return sum(len(part) for part in lines[: line - 1]) + len(lines[line - 1].encode()[:column].decode())

    source = "".join(lines)
    start, end = offset(node.lineno, node.col_offset), offset(node.end_lineno, node.end_col_offset)
    if isinstance(node, ast.expr) and not isinstance(node, (ast.Constant, ast.Name, ast.Attribute, ast.Call, ast.Tuple)):
        text = f"({text})"  # a replaced operand keeps its place in the expression around it
    return source[:start] + text + source[end:]


def _unique(mutants):
    seen, names = set(), {}
    for mutant in mutants:
        if mutant.text in seen:
            continue
        seen.add(mutant.text)
        names[mutant.name] = names.get(mutant.name, 0) + 1
        yield replace(mutant, occurrence=names[mutant.name])


# -- the operators --------------------------------------------------------------------------------


def _operators(node):
    """(operator, replacement node) for every mutant of `node` itself."""
    if isinstance(node, ast.BinOp):
        yield from _binary(node)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        yield "sign flip", node.operand
    elif isinstance(node, ast.Tuple) and len(node.elts) >= 2 and isinstance(getattr(node, "parent", None), ast.Call):
        for i in range(len(node.elts) - 1):
            a, b = node.elts[i], node.elts[i + 1]
            if ast.dump(a) != ast.dump(b):
                swapped = copy.deepcopy(node)
                swapped.elts[i], swapped.elts[i + 1] = b, a
                yield "operand swap", swapped
    elif isinstance(node, ast.Constant) and type(node.value) in (int, float) and not _negated(node):
        yield from _number(node)
    elif isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in COMPARISONS:
        yield "off by one", ast.Compare(node.left, [COMPARISONS[type(node.ops[0])]()], node.comparators)
    elif isinstance(node, ast.AugAssign) and isinstance(node.op, (ast.Add, ast.Sub)):
        yield "= instead of +=", ast.Assign([node.target], node.value, lineno=node.lineno)
        yield "sign flip", ast.AugAssign(node.target, ast.Sub() if isinstance(node.op, ast.Add) else ast.Add(), node.value)
    if isinstance(node, ast.Call) and _is_math(node) or isinstance(node, ast.BinOp) and not _inside_arithmetic(node):
        yield "constant instead of computation", ast.Constant(1.0)


def _binary(node):
    op, left, right = node.op, node.left, node.right
    if isinstance(op, SWAPPABLE):
        yield "operand swap", ast.BinOp(right, op, left)
    if isinstance(op, (ast.Add, ast.Sub)):
        yield "sign flip", ast.BinOp(left, ast.Sub() if isinstance(op, ast.Add) else ast.Add(), right)
    if isinstance(op, ast.Mult):
        yield "dropped factor", left
        yield "dropped factor", right
        yield "extra factor", ast.BinOp(node, ast.Mult(), right)
    if isinstance(op, ast.Div):
        yield "dropped factor", left
    if isinstance(op, ast.Pow):
        for change in (ast.Add(), ast.Sub()):
            yield "wrong exponent", ast.BinOp(left, op, ast.BinOp(right, change, ast.Constant(1)))


def _number(node):
    value = node.value
    if value:
        yield "sign flip", ast.Constant(-value)
    for other in (value - 1, value + 1):
        if other != -value:
            yield "off by one", ast.Constant(type(value)(other))


def _negated(node):
    """`-1` is a minus applied to 1: that minus has its own mutants."""
    return isinstance(getattr(node, "parent", None), ast.UnaryOp)


def _is_math(node):
    return isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name) and node.func.value.id == "math"


def _inside_arithmetic(node):
    return isinstance(getattr(node, "parent", None), (ast.BinOp, ast.UnaryOp))
