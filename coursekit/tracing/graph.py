"""Extract the computation graph below some Values as plain data.

Extraction is duck-typed, so coursekit's Value, a student's own class and micrograd's all work:
any object with `.data` and its children in `_children` (microGPT, coursekit) or `_prev`
(micrograd) is a node. The op name comes from `_op`, the label from `label`, the grad from
`.grad`, and the local gradients from `_local_grads` when the class stores them (for micrograd's
usual ops they are worked out from the data, since micrograd keeps them inside closures). A class
without op names gets them inferred from its numbers, and every unnamed intermediate gets the
expression that made it (see `coursekit.tracing.infer`).
"""

import math
from typing import NamedTuple

from coursekit.rules import local_grads_by_name
from coursekit.tracing.infer import ATOM, infer_op, operand, short_expression


class Node(NamedTuple):
    data: object
    grad: object = None  # None when the class has no .grad
    op: str = ""
    label: str = ""
    kind: str = "value"  # "value"; after folding also "chain" (a run of one op), "more" (left out),
    # or a box of the overview: "neuron", "layer" (alike neurons), "inputs"
    count: int = 1  # "chain": how many terms it combines; "more": how many inputs it stands for
    expr: str = ""  # an unnamed intermediate's expression over its children's names (`a*b + c`)
    form: str = ""  # a "neuron" or "layer" box of the overview: what each neuron computes, `tanh(Σ 16 w·x + b)`

    @property
    def name(self):
        """What the picture and the stepper call this value: its label, else its expression."""
        return self.label or self.expr


class Edge(NamedTuple):
    child: int  # index into Graph.nodes
    parent: int
    local_grad: float | None  # d(parent)/d(child), None when unknown


class Graph(NamedTuple):
    """Nodes in reverse topological order (every node after all its users, outputs first);
    edges grouped by parent in that order, each parent's children in their stored order."""

    nodes: list
    edges: list


def is_value(obj):
    """True for anything that looks like a node of a computation graph (but not for the class)."""
    return (
        not isinstance(obj, type)
        and hasattr(obj, "data")
        and (hasattr(obj, "_children") or hasattr(obj, "_prev"))
    )


def not_drawable(obj, subject="that"):
    """Why `obj` is not drawn, naming what it holds: `n is a Node with .data but no _children or
    _prev (it holds: data, grad, parents)`, or `that is an int, not a Value (...)`."""
    kind = type(obj).__name__
    article = "an" if kind[:1].lower() in "aeiou" else "a"
    if isinstance(obj, type):
        return f"{subject} is the class {obj.__name__} itself, not a value made with it"
    if not hasattr(obj, "data"):
        what = " without .data" if kind == "Value" else ", not a Value"
        return f"{subject} is {article} {kind}{what} (a value to draw has .data and its inputs in _children or _prev)"
    held = sorted(vars(obj)) if hasattr(obj, "__dict__") else []
    for cls in type(obj).__mro__:
        slots = getattr(cls, "__slots__", ())
        held += [slots] if isinstance(slots, str) else sorted(slots)
    holds = f" (it holds: {', '.join(dict.fromkeys(held))})" if held else ""
    return (f"{subject} is {article} {kind} with .data but no _children or _prev{holds}; a value's inputs are read "
            "from _children (microGPT) or _prev (micrograd)")


def children_of(obj):
    children = getattr(obj, "_children", None)
    if children is None:
        children = getattr(obj, "_prev", ())
    if all(type(child) is type(obj) for child in children):  # the usual case, and a quick check
        return list(children)
    return [child for child in children if is_value(child)]


def trace(*roots, names=None):
    """The graph of every value reachable from the roots, as a `Graph(nodes, edges)`.

    `names` maps id(value) -> a variable name, used as the label of values that carry none.
    Iterative, so a chain of a million values needs no recursion limit.
    """
    return Walk.of(roots).graph(names)


class Walk:
    """The values reachable from some roots, each read once: `values` in reverse topological
    order (every value after all its users, the first root first) and `children[i]`, value i's
    children in their stored order. The numbers to draw are read later (`graph`), so a backward
    pass run after the walk shows in the drawing."""

    def __init__(self, values, children, roots):
        self.values = values
        self.children = children
        self.roots = roots
        self.position = {id(value): i for i, value in enumerate(values)}

    @classmethod
    def of(cls, roots):
        roots = list({id(root): root for root in roots if is_value(root)}.values())
        values, children = _reverse_topological_order(roots, children_of)
        return cls(values, [children[id(value)] for value in values], roots)

    def sinks(self):
        """The roots that no other root was computed from (the outputs of the graph), in order."""
        used = {id(child) for kids in self.children for child in kids}
        return [root for root in self.roots if id(root) not in used]

    def below(self, value):
        """The walk of `value` alone (it first), as a walk from it would give, without reading a value again."""
        if id(value) not in self.position:
            return Walk.of([value])
        position, children = self.position, self.children
        values, below = _reverse_topological_order([value], lambda v: children[position[id(v)]])
        return Walk(values, [below[id(v)] for v in values], [value])

    def graph(self, names=None):
        """The walked values as a `Graph` of their numbers and names as they are now."""
        names = names or {}
        nodes, edges = [], []
        position = self.position
        for i, (obj, kids) in enumerate(zip(self.values, self.children)):
            locals_ = local_grads_of(obj, kids)
            node = _node(obj, names)
            if kids and not node.op:
                numbers = [_number(c.data) for c in kids]
                node = node._replace(op=infer_op(_number(obj.data), numbers, locals_))
            nodes.append(node)
            for child, local in zip(kids, locals_):
                edges.append(Edge(position[id(child)], i, local))
        return Graph(with_expressions(nodes, edges), edges)


def with_expressions(nodes, edges):
    """Give each unnamed value with children the expression that made it, children first (nodes in
    reverse topological order, as a Graph holds them)."""
    inputs = [[] for _ in nodes]
    for edge in edges:
        inputs[edge.parent].append(edge.child)
    texts = [None] * len(nodes)  # (text, binding, is it an expression)
    for i in reversed(range(len(nodes))):
        node = nodes[i]
        if node.label or not inputs[i]:
            texts[i] = (*operand(node.label or format_number(node.data)), False)
            continue
        kids = [texts[c] or ("…", ATOM, True) for c in inputs[i]]  # None: a child in a cycle, not yet written
        text, binding = short_expression(node.op, [kid[:2] for kid in kids], [kid[2] for kid in kids])
        texts[i] = (text, binding, True)
        nodes[i] = node._replace(expr=text)
    return nodes


def format_number(x):
    """A number as the picture shows it: 4 significant digits, no '-0'."""
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        try:
            x = float(x)
        except (TypeError, ValueError):
            return "?" if x is None else str(x)
    return f"{x + 0.0:.4g}"


def _reverse_topological_order(roots, children_of):
    """Everything reachable from roots, each one after all those that use it, and each one's
    children (by id), read once."""
    uses, objects, children = {}, {}, {}
    for root in roots:
        uses[id(root)] = 0
        objects[id(root)] = root
    stack = list(objects.values())
    while stack:
        obj = stack.pop()
        kids = children[id(obj)] = children_of(obj)
        for child in kids:
            key = id(child)
            if key in uses:
                uses[key] += 1
            else:
                uses[key] = 1
                objects[key] = child
                stack.append(child)
    ready = [obj for key, obj in objects.items() if uses[key] == 0]
    ready.reverse()  # so the first root comes out first
    order = []
    while ready:
        obj = ready.pop()
        order.append(obj)
        for child in children[id(obj)]:
            key = id(child)
            uses[key] -= 1
            if not uses[key]:
                ready.append(child)
    if len(order) < len(objects):  # a value among its own inputs (a cycle, `self._children = (self, ...)`):
        placed = {id(obj) for obj in order}  # drawn all the same, after the rest
        order += [obj for key, obj in objects.items() if key not in placed]
    return order, children


def _node(obj, names):
    label = _optional(obj, "label")
    if not isinstance(label, str) or not label:
        label = names.get(id(obj), "")
    op = _optional(obj, "_op")
    return Node(data=obj.data, grad=_optional(obj, "grad", None), op=op if isinstance(op, str) else str(op or ""),
                label=label)


def _optional(obj, name, default=""):
    """An attribute the drawing can do without; a property of the student's that raises is left out."""
    try:
        return getattr(obj, name, default)
    except Exception:  # noqa: BLE001 - any error inside the student's property: draw without it
        return default


def local_grads_of(obj, children):
    """d(obj)/d(child) for each child, as numbers (None when unknown): stored ones first, else worked
    out by the rule its op names (micrograd keeps its rules inside closures).

    Students store them in many shapes: a tuple or a list, a bare number for an op of one child,
    Values instead of numbers; all of them draw."""
    stored = getattr(obj, "_local_grads", None)
    if stored is not None and not isinstance(stored, (str, bytes)):
        if len(children) == 1 and _number(stored) is not None:
            stored = (stored,)
        try:
            stored = [_number(local.data if is_value(local) else local) for local in stored]
        except TypeError:  # not a sequence: read as unknown below
            stored = None
    if stored is not None and len(stored) == len(children):
        return stored
    inferred = local_grads_by_name(getattr(obj, "_op", ""), _number(obj.data), [_number(c.data) for c in children])
    return inferred or [None] * len(children)


def _number(x):
    try:
        number = float(x)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def users_and_children(graph):
    """For each node: how many edges use it, and its (child, local_grad) pairs."""
    users = [0] * len(graph.nodes)
    children = [[] for _ in graph.nodes]
    for edge in graph.edges:
        users[edge.child] += 1
        children[edge.parent].append((edge.child, edge.local_grad))
    return users, children
