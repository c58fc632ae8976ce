"""Step 4: compare each answer of the child with the reference engine's, in the grading process.

Primitive forms are checked on their data, children (identity and order) and local gradients.
Derived forms, and primitives with a plain number, are checked on their data and on the gradient
w.r.t. each input, computed by our own walk over the student's children and local gradients
(never the student's backward(), so a broken backward costs only the backward points).
"""

import math
from dataclasses import dataclass
from functools import partial

from coursekit.engine import Value as Reference
from coursekit.grading import hints


@dataclass(frozen=True)
class CaseResult:
    test: str
    label: str
    public: bool
    passed: bool
    problem: str = ""  # what is wrong; for public cases with the expected and actual numbers
    hint: str = ""


class Mismatch(Exception):
    """One check failed: what, and (shown for public cases only) the expected and actual values."""

    def __init__(self, what, expected=None, got=None, hint=""):
        super().__init__(what)
        self.what, self.expected, self.got, self.hint = what, expected, got, hint

    def describe(self, public):
        if self.expected is None:
            return self.what
        if public:
            return f"{self.what}: expected {_show(self.expected)}, got {_show(self.got)}"
        return f"wrong {self.what}"


def compare(case, answer, rel_tol, abs_tol):
    if "error" in answer:
        where = f" ({answer['where']})" if answer.get("where") else ""
        problem = f"{answer.get('message')}{where}"
        return CaseResult(case.test, case.label, case.public, False, problem, hints.error_hint(case, answer))
    close = partial(_close, rel_tol=rel_tol, abs_tol=abs_tol)
    try:
        if case.test == "backward":
            _check_backward(case, answer["grads"], close)
        elif case.form.structural:
            _check_structure(case, answer["graph"], close)
        else:
            _check_gradients(case, answer["graph"], close)
    except Mismatch as mismatch:
        return CaseResult(case.test, case.label, case.public, False, mismatch.describe(case.public), mismatch.hint)
    except (KeyError, TypeError, ValueError, IndexError):
        return CaseResult(case.test, case.label, case.public, False, "the child's answer could not be read")
    return CaseResult(case.test, case.label, case.public, True)


def _check_structure(case, graph, close):
    expected, form = case.expected, case.form
    _check_data(graph, expected, close)
    inputs = graph["inputs"]
    children = graph["children"][-1]
    wanted = [inputs[i] for i in expected.children]
    if children != wanted:
        names = {node: name for name, node in zip(form.values, inputs) if node is not None}
        got = ", ".join(names.get(child, "another Value") for child in children)
        want = ", ".join(form.values[i] for i in expected.children)
        order = " (wrong order)" if sorted(children) == sorted(wanted) else ""
        raise Mismatch(f"children{order}: expected the input Values ({want}) themselves, got ({got})")
    local_grads = graph["local"][-1]
    if len(local_grads) != len(expected.local_grads):
        raise Mismatch(f"expected {len(expected.local_grads)} local gradient(s), one per child, got {len(local_grads)}")
    if not all(map(close, local_grads, expected.local_grads)):
        numbers = case.request["numbers"]
        hint = hints.local_grads_hint(form, numbers, local_grads, close)
        raise Mismatch("local gradients", expected.local_grads, local_grads, hint)


def _check_gradients(case, graph, close):
    _check_data(graph, case.expected, close)
    grads = _input_grads(graph)
    if not all(map(close, grads, case.expected.input_grads)):
        names = ", ".join(case.form.values)
        hint = hints.gradients_hint(case.form, case.request["numbers"], grads, close)
        what = f"gradient w.r.t. {names} (through your _children and _local_grads)"
        raise Mismatch(what, case.expected.input_grads, grads, hint)


def _check_data(graph, expected, close):
    if not close(graph["data"][-1], expected.data):
        raise Mismatch("data", expected.data, graph["data"][-1])


def _input_grads(graph):
    """d(result)/d(input) by the reference engine's walk over the student's graph (root last)."""
    nodes = []
    for children, local_grads in zip(graph["children"], graph["local"]):
        if len(children) != len(local_grads):
            raise Mismatch(f"a Value has {len(children)} children but {len(local_grads)} local gradients")
        if any(not 0 <= child < len(nodes) for child in children):
            raise ValueError("children must come before their users")
        nodes.append(Reference(0.0, tuple(nodes[child] for child in children), tuple(local_grads)))
    nodes[-1].backward()
    return tuple(0.0 if node is None else nodes[node].grad for node in graph["inputs"])


def _check_backward(case, grads, close):
    if len(grads) != len(case.expected):
        raise ValueError("one grad per reported node")
    if not all(map(close, grads, case.expected)):
        raise Mismatch("grads after backward()", case.expected, grads, hints.backward_hint(case.request, grads, close))


def _close(got, expected, rel_tol, abs_tol):
    return isinstance(got, float) and math.isclose(got, expected, rel_tol=rel_tol, abs_tol=abs_tol)


def _show(numbers):
    if isinstance(numbers, (tuple, list)):
        return "(" + ", ".join(f"{x:.6g}" for x in numbers) + ")"
    return f"{numbers:.6g}"
