"""What a test calls in the submission: a target written in the rubric as Python, with input markers.

`Value(a)` marks the input `a` as one of the student's Values, `Values(xs)` a (nested) list of
them; an input without a marker is a plain number or list of numbers. The same name is the same
input: in `Value(a) + Value(a)` both operands are one Value. The markers are taken out here, so the
child and the reference evaluate the same plain expression (`a + a`) with the inputs bound.

A case is written like student code ("Value(2.0) + 3", "softmax([Value(1.0), Value(2.0)])") or as
a table of inputs; `parse_case` finds the target it is an instance of.
"""

import ast
import re
from dataclasses import dataclass

from coursekit import syntax
from coursekit.grading.protocol import TargetRequest

MARKERS = ("Value", "Values")
CASE_SETTINGS = ("form", "expected", "label")  # keys of a case table that are not inputs


class TargetError(ValueError):
    """A target or a case the rubric cannot mean (the message says what; the rubric says where)."""


@dataclass(frozen=True)
class Target:
    text: str          # as written in the rubric: "Value(a) + b"
    expression: str    # the markers taken out: "a + b"
    setup: str         # statements run before the expression (markers taken out too)
    wrt: str           # an expression for more Values to differentiate by, e.g. model.parameters()
    names: tuple       # the inputs, in order of first use
    values: frozenset  # those bound to Values

    def request(self, inputs):
        """What the child (and the reference) evaluates: plain code and the inputs' numbers."""
        return TargetRequest(self.setup, self.expression, self.wrt,
                             [[name, name in self.values, inputs[name]] for name in self.names])

    def label(self, inputs):
        """The case as a student would type it: "3 + Value(0.5)", or "a + a where a = Value(2.5)"."""
        shown = {name: _shown(inputs[name], name in self.values) for name in self.names}
        tree = syntax.parse(self.text, mode="eval")
        uses = [node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and node.id in shown]
        if not self.setup and sorted(uses) == sorted(set(uses)) == sorted(self.names):
            return ast.unparse(_Substitute(shown).visit(tree))
        return f"{self.expression} where " + ", ".join(f"{name} = {text}" for name, text in shown.items())

    def without_inputs(self):
        """The target without its inputs, for hidden cases: "a + b, a plain number on the left"."""
        tree = syntax.parse(self.expression, mode="eval").body
        operands = (("left", getattr(tree, "left", None)), ("right", getattr(tree, "right", None)))
        if isinstance(tree, ast.BinOp) and not isinstance(tree.op, ast.Pow) and \
                all(isinstance(node, ast.Name) and node.id in self.names for _, node in operands):
            plain = [side for side, node in operands if node.id not in self.values]
            if len(plain) == 1:
                return f"{self.expression}, a plain number on the {plain[0]}"
        return self.expression


def parse_target(text, setup="", wrt="", inputs=()):
    """A Target from the rubric's strings; `inputs` are the names the test has domains for."""
    found = {}
    expression = _unmark(text, found, mode="eval")
    setup = _unmark(setup, found, mode="exec") if setup else ""
    wrt = _unmark(wrt, found, mode="eval") if wrt else ""
    for code in (text, setup, wrt):
        for node in ast.walk(syntax.parse(code or "0", mode="exec")):
            if isinstance(node, ast.Name) and node.id in inputs:
                found.setdefault(node.id, False)
    written = "\n".join((text, setup, wrt))
    names = tuple(sorted(found, key=lambda name: re.search(rf"\b{name}\b", written).start()))
    return Target(text, expression, setup, wrt, names, frozenset(n for n, is_value in found.items() if is_value))


def _unmark(code, found, mode):
    try:
        tree = syntax.parse(code, mode=mode)
    except SyntaxError as error:
        raise TargetError(f"{code!r} is not Python ({error.msg})") from None

    class Unmark(ast.NodeTransformer):
        def visit_Call(self, node):
            if _marked_name(node):
                name = node.args[0].id
                if found.get(name) is False:
                    raise TargetError(f"{name} is used both as a Value and as a plain number in {code!r}")
                found[name] = True
                return ast.Name(id=name, ctx=ast.Load())
            return self.generic_visit(node)

    return ast.unparse(Unmark().visit(tree))


def _marked_name(node):
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MARKERS
            and len(node.args) == 1 and not node.keywords and isinstance(node.args[0], ast.Name))


def parse_case(case, targets):
    """(index of the target, {input: numbers}) for a case written as code or as a table."""
    if isinstance(case, dict):
        return _table_case(case, targets)
    try:
        example = syntax.parse(case, mode="eval").body
    except SyntaxError:
        raise TargetError(f"{case!r} is not a Python expression") from None
    for index, target in enumerate(targets):
        bound = {}
        if _matches(syntax.parse(target.text, mode="eval").body, example, target, bound):
            return index, bound
    forms = ", ".join(target.text for target in targets)
    raise TargetError(f"{case!r} is not an instance of the target ({forms})")


def _table_case(case, targets):
    form = case.get("form", targets[0].text)
    index = next((i for i, target in enumerate(targets) if target.text == form), None)
    if index is None:
        raise TargetError(f"form {form!r} is not one of the targets")
    inputs = {key: value for key, value in case.items() if key not in CASE_SETTINGS}
    names = set(targets[index].names)
    if set(inputs) != names:
        raise TargetError(f"a case of {form!r} gives the inputs {sorted(names)}, got {sorted(inputs)}")
    for name, value in inputs.items():
        _check_numbers(value, name)
    return index, inputs


def _check_numbers(value, name):
    if isinstance(value, list):
        for item in value:
            _check_numbers(item, name)
    elif type(value) not in (int, float):
        raise TargetError(f"input {name} = {value!r} is not a number or a list of numbers")


def _matches(pattern, example, target, bound):
    """Does the example have the pattern's shape, with numbers where the pattern has inputs?"""
    if _marked_name(pattern):
        name = pattern.args[0].id
        wanted = _values(example) if pattern.func.id == "Values" else _value(example)
        return wanted is not None and bound.setdefault(name, wanted) == wanted
    if isinstance(pattern, ast.Name) and pattern.id in target.names:
        wanted = _numbers(example)
        return wanted is not None and bound.setdefault(pattern.id, wanted) == wanted
    if type(pattern) is not type(example):
        return False
    for field in pattern._fields:
        mine, theirs = getattr(pattern, field), getattr(example, field)
        if isinstance(mine, list):
            if not isinstance(theirs, list) or len(mine) != len(theirs):
                return False
            if not all(_matches(a, b, target, bound) if isinstance(a, ast.AST) else a == b for a, b in zip(mine, theirs)):
                return False
        elif isinstance(mine, ast.AST):
            if not _matches(mine, theirs, target, bound):
                return False
        elif field != "ctx" and mine != theirs:
            return False
    return True


def _value(node):
    """Value(number) -> the number."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Value" and len(node.args) == 1:
        return _number(node.args[0])
    return None


def _values(node):
    """[Value(1.0), [Value(2.0)]] -> [1.0, [2.0]]."""
    if isinstance(node, ast.List):
        items = [_values(item) for item in node.elts]
        return None if None in items else items
    return _value(node)


def _numbers(node):
    if isinstance(node, ast.List):
        items = [_numbers(item) for item in node.elts]
        return None if None in items else items
    return _number(node)


def _number(node):
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _number(node.operand)
        return None if inner is None else -inner
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return node.value
    return None


def _shown(numbers, is_value):
    if isinstance(numbers, list):
        return "[" + ", ".join(_shown(x, is_value) for x in numbers) + "]"
    return f"Value({numbers!r})" if is_value else repr(numbers)


class _Substitute(ast.NodeTransformer):
    """Markers and input names replaced by the code of their numbers."""

    def __init__(self, shown):
        self.shown = shown

    def visit_Call(self, node):
        if _marked_name(node) and node.args[0].id in self.shown:
            return syntax.parse(self.shown[node.args[0].id], mode="eval").body
        return self.generic_visit(node)

    def visit_Name(self, node):
        return syntax.parse(self.shown[node.id], mode="eval").body if node.id in self.shown else node
