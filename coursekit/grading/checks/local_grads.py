"""`check = "local_grads"`: a primitive operation, checked on what it stores.

Like `values`, but when the reference's output is built straight from the inputs (`a * b`,
`a.exp()`), the student's output must have the input Values themselves as its children, in order,
and the right local gradient next to each; the gradients of anything else are walked as `values`
does. So `*` with its local gradients swapped is caught as such, even where the product agrees.
A constant beside them (a leaf the operation made from a plain number, such as the exponent of a
`__pow__` that also accepts a Value) changes no gradient of an input: it is left out.
"""

from collections import Counter

from coursekit.grading.checks.base import Mismatch
from coursekit.grading.checks.values import Values
from coursekit.grading.checks.walk import is_primitive


class LocalGrads(Values):
    name = "local_grads"

    def compare_graph(self, case, expected, got, close):
        if not is_primitive(expected):
            return super().compare_graph(case, expected, got, close)
        names = case.target.names if case.target else ()
        values = [name for name in names if name in case.target.values]
        root, wanted_root = got.outputs[0], expected.outputs[0]
        wanted = [got.inputs[expected.inputs.index(child)] for child in expected.children[wanted_root]]
        kept = _kept(got, root)
        children, local_grads = [got.children[root][k] for k in kept], [got.local[root][k] for k in kept]
        if children != wanted:
            labels = {node: name for name, node in zip(values, got.inputs) if node is not None}
            shown = ", ".join(labels.get(child, "another Value") for child in got.children[root])
            want = ", ".join(values[expected.inputs.index(child)] for child in expected.children[wanted_root])
            order = " (wrong order)" if Counter(children) == Counter(wanted) else ""  # an input not in the graph is None
            raise Mismatch(f"children{order}: expected the input Values ({want}) themselves, got ({shown})")
        wanted_grads = expected.local[wanted_root]
        if len(local_grads) != len(wanted_grads):
            raise Mismatch(f"expected {len(wanted_grads)} local gradient(s), one per child, got {len(local_grads)}")
        if not all(map(close, local_grads, wanted_grads)):
            raise Mismatch("local gradients", tuple(wanted_grads), tuple(local_grads))

    def cause(self, spec, case, got):
        """"" for a primitive: the operation under test is the output itself, and its check says so."""
        return "" if is_primitive(case.expected) else super().cause(spec, case, got)

    def wrong_edges(self, case, got, root, close):
        expected = case.expected
        if not is_primitive(expected):
            return {}
        wanted = expected.local[expected.outputs[0]]
        return {(root, k): want for k, want in zip(_kept(got, root), wanted) if not close(got.local[root][k], want)}


def _kept(got, root):
    """The positions of the root's children that are not constants (leaves that are not inputs,
    which the operation made from a plain number); all of them when the local gradients do not
    match the children one for one (the length check says so)."""
    children = got.children[root]
    if len(children) != len(got.local[root]):
        return list(range(len(children)))
    return [k for k, child in enumerate(children) if child in got.inputs or got.children[child]]
