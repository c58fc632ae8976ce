"""What each test exercises: the forms of every operation, its boundary cases, the backward graphs.

A form is a Python expression over the inputs `a` and `b`, each bound either to a Value of the
student's class or to a plain number. The same expression runs in the child with the student's
Value and here with the reference engine, so a form is written once.
"""

from dataclasses import dataclass

from coursekit.engine import Value as Reference
from coursekit.engine import paused_gc

TEST_NAMES = ("add", "mul", "pow", "log", "exp", "relu", "neg", "sub", "div", "backward")


@dataclass(frozen=True)
class Form:
    expression: str   # e.g. "a + b"
    inputs: str       # the names it reads, in order: "ab"
    values: str       # those that are Values; the others are plain numbers
    structural: bool  # checked on its children and local grads (else on data and input grads)

    def describe(self):
        numbers = [name for name in self.inputs if name not in self.values]
        if not numbers or self.expression.startswith("a **"):
            return self.expression
        side = "left" if numbers[0] == self.inputs[0] else "right"
        return f"{self.expression}, a plain number on the {side}"


def _binary(symbol, structural):
    """The four forms of a binary operator: two Values, a number on either side, a Value with itself."""
    expression = f"a {symbol} b"
    return (
        Form(expression, "ab", "ab", structural),
        Form(expression, "ab", "a", False),
        Form(expression, "ab", "b", False),
        Form(f"a {symbol} a", "a", "a", structural),
    )


def _unary(expression, structural=True):
    return (Form(expression, "a", "a", structural),)


FORMS = {
    "add": _binary("+", True),
    "mul": _binary("*", True),
    "pow": (Form("a ** b", "ab", "a", True),),
    "log": _unary("a.log()"),
    "exp": _unary("a.exp()"),
    "relu": _unary("a.relu()"),
    "neg": _unary("-a", structural=False),
    "sub": _binary("-", False),
    "div": _binary("/", False)[:3],  # a / a is always 1: nothing to learn from it
}

# Inputs where mistakes hide, always among the hidden cases: (index of the form, inputs).
BOUNDARIES = {
    "add": [(0, (0.0, 0.0)), (0, (-1.5, 2.25)), (1, (-2.0, 3)), (2, (3, -2.0)), (3, (2.5,))],
    "mul": [(0, (0.0, 5.0)), (0, (-2.0, 3.5)), (1, (2.0, -0.5)), (2, (3, 2.0)), (3, (-3.0,))],
    "pow": [
        (0, (2.0, 0)), (0, (2.0, -1)), (0, (4.0, 0.5)), (0, (2.5, -0.5)), (0, (-2.0, 3)),
        (0, (-1.5, 2)), (0, (3.0, 1)), (0, (0.0, 2)), (0, (1.7, 2.5)),
    ],
    "log": [(0, (1e-3,)), (0, (1e-6,)), (0, (1.0,)), (0, (50.0,))],
    "exp": [(0, (0.0,)), (0, (-10.0,)), (0, (10.0,)), (0, (1.0,))],
    "relu": [(0, (0.0,)), (0, (-2.0,)), (0, (-1e-9,)), (0, (3.0,))],
    "neg": [(0, (0.0,)), (0, (-2.5,)), (0, (4.0,))],
    "sub": [(0, (1.0, 1.0)), (1, (1.0, 2)), (2, (3, 5.0)), (2, (-2, -0.5)), (3, (2.0,))],
    "div": [(0, (0.0, 2.0)), (0, (3.0, -0.5)), (1, (3.0, -2)), (2, (1, 4.0)), (2, (-3, 0.5))],
}


@dataclass(frozen=True)
class OpAnswer:
    """What the reference engine says about one form at one input."""

    data: float
    children: tuple     # for each child of the result: its position in form.values, None if not an input
    local_grads: tuple
    input_grads: tuple  # d(result)/d(input) for each Value input, in form.values order


def reference_answer(form, numbers):
    """Evaluate the form with the reference engine (raises its clear errors outside the domain)."""
    env = {name: Reference(x) if name in form.values else x for name, x in zip(form.inputs, numbers)}
    out = eval(form.expression, {"__builtins__": {}}, env)  # noqa: S307 - our own expressions
    out.backward()
    inputs = [env[name] for name in form.values]
    children = tuple(next((i for i, value in enumerate(inputs) if value is child), None) for child in out._children)
    return OpAnswer(out.data, children, tuple(out._local_grads), tuple(value.grad for value in inputs))


# -- backward: graphs built directly with the constructor --------------------------------------
# A graph is a list of nodes (data, children indices, local grads), children before their users;
# the last node is the output. The shapes are the classic ways a backward pass goes wrong.
SHAPES = {
    "single": [(2.0, (), ()), (-3.0, (), ()), (-6.0, (0, 1), (-3.0, 2.0))],
    "lonely": [(5.0, (), ())],
    "diamond": [(1.5, (), ()), (3.0, (0,), (2.0,)), (4.5, (0,), (3.0,)), (7.5, (1, 2), (1.0, 1.0))],
    # the middle node feeds the output directly and through a second node: visiting it before
    # that second node is done loses part of its gradient
    "order": [(1.0, (), ()), (2.0, (0,), (2.0,)), (6.0, (1,), (3.0,)), (8.0, (1, 2), (1.0, 1.0))],
    "twice": [(2.0, (), ()), (4.0, (), ()), (8.0, (0, 1), (4.0, 2.0))],
    "chain": None,  # built in a loop (reference_chain_grads), its length comes from the rubric
}
CALLS = {"twice": 2}  # backward() called twice: the grads must accumulate
CHAIN_LOCAL_GRADS = (2.0, 0.5)


def reference_grads(nodes, calls, report):
    """Build the graph with the reference engine, call backward() `calls` times, read the grads."""
    built = []
    for data, children, local_grads in nodes:
        built.append(Reference(data, tuple(built[i] for i in children), local_grads))
    for _ in range(calls):
        built[-1].backward()
    return tuple(built[i].grad for i in report)


def reference_chain_grads(length, report):
    """x0 -> x1 -> ... -> x_length with alternating local grads (a recursive walk overflows on it)."""
    wanted = set(report)
    with paused_gc():  # a hundred thousand nodes: the cyclic collector would only slow this down
        node = Reference(1.0)
        kept = {0: node}
        for i in range(1, length + 1):
            node = Reference(1.0, (node,), (CHAIN_LOCAL_GRADS[i % 2],))
            if i in wanted:
                kept[i] = node
        node.backward()
        return tuple(kept[i].grad for i in report)


SHAPE_NOTES = {
    "single": "one node with two children",
    "lonely": "a single node without children",
    "diamond": "a node used by two others (the diamond)",
    "order": "a node used directly and through another node",
    "twice": "backward() called twice on the same graph",
    "chain": "a chain of {length} nodes",
}
