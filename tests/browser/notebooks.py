"""The notebook the browser tests open, built with nbformat, and what it should show.

The textbook example (Karpathy's micrograd lecture): L = (a*b + c) * f. Its gradients have
closed forms, so the tests check what the browser shows against arithmetic, not against
coursekit's own backward.
"""

from dataclasses import dataclass

import nbformat


@dataclass(frozen=True)
class Example:
    """A small graph worked out by hand: the oracle for what the browser must show."""

    values: dict  # name -> (data, d(root)/d(name))
    inputs: dict  # name -> [(input name, d(name)/d(input)), ...], one pair per edge
    root: str


A, B, C, F = 2.0, -3.0, 10.0, -2.0
TEXTBOOK_SOURCE = """\
a = Value(2.0); b = Value(-3.0); c = Value(10.0); f = Value(-2.0)
e = a * b
d = e + c
L = d * f"""

TEXTBOOK = Example(
    values={
        "a": (A, B * F),
        "b": (B, A * F),
        "c": (C, F),
        "f": (F, A * B + C),
        "e": (A * B, F),
        "d": (A * B + C, F),
        "L": ((A * B + C) * F, 1.0),
    },
    inputs={"e": [("a", B), ("b", A)], "d": [("e", 1.0), ("c", 1.0)], "L": [("d", F), ("f", A * B + C)]},
    root="L",
)

# Chapter 1's first graph: the textbook example up to d, before backward exists.
FORWARD = Example(
    values={name: (TEXTBOOK.values[name][0], 0.0) for name in "abced"},
    inputs={name: TEXTBOOK.inputs[name] for name in "ed"},
    root="d",
)

# Chapter 4's `--steps` example: c = a*a + a, where `a` is reached along three edges.
X = 3.0
DIAMOND = Example(
    values={"a": (X, 2 * X + 1), "b": (X * X, 1.0), "c": (X * X + X, 1.0)},
    inputs={"b": [("a", X), ("a", X)], "c": [("b", 1.0), ("a", 1.0)]},
    root="c",
)

# One dense layer of 20 tanh neurons over 100 inputs: about 6,000 values, far above the
# default --max-nodes, so %%trace must fold it and say so under the picture.
BIG_LAYER = """\
import random
random.seed(0)
x = [Value(random.uniform(-1, 1)) for _ in range(100)]
layer = [[Value(random.uniform(-1, 1)) for _ in range(100)] for _ in range(20)]
h = [sum((w * xi for w, xi in zip(ws, x)), Value(0.0)).tanh() for ws in layer]
out = sum(h, Value(0.0))"""
AFTER_BIG_LAYER = 'print("still responsive:", len(h))'

# The course's own Value as a student writes it: no op names, no labels.
STUDENT_CLASS = """\
class StudentValue:
    def __init__(self, data, children=(), local_grads=()):
        self.data, self.grad = data, 0
        self._children, self._local_grads = children, local_grads
    def __repr__(self):
        return f"Value(data={self.data})"
    def __add__(self, other):
        return StudentValue(self.data + other.data, (self, other), (1, 1))
    def __mul__(self, other):
        return StudentValue(self.data * other.data, (self, other), (other.data, self.data))
    def backward(self):
        order, seen = [], set()
        def visit(v):
            if v not in seen:
                seen.add(v)
                for child in v._children:
                    visit(child)
                order.append(v)
        visit(self)
        self.grad = 1
        for v in reversed(order):
            for child, local in zip(v._children, v._local_grads):
                child.grad += local * v.grad"""
STUDENT_GRAPH = """\
a = StudentValue(2.0); b = StudentValue(-3.0); c = StudentValue(10.0); f = StudentValue(-2.0)
(a * b + c) * f"""

# A long chain, far wider than any window: it must scroll inside its output, not shrink.
WIDE_CHAIN = """\
x = Value(0.5)
for i in range(10):
    x = (x * Value(0.9) + Value(0.1)).tanh()"""

# A three-layer MLP (about 1,700 values): its overview is inputs → layer → layer → output.
MLP = """\
import random
random.seed(0)
def neuron(inputs):
    return sum((Value(random.uniform(-1, 1)) * x for x in inputs), Value(0.0)).tanh()
xs = [Value(random.uniform(-1, 1)) for _ in range(16)]
hidden = [neuron(xs) for _ in range(16)]
hidden2 = [neuron(hidden) for _ in range(16)]
y = neuron(hidden2)"""

# Cell sources by role, in notebook order; the tests find cells by these, not by index.
CELLS = {
    "setup": "%load_ext coursekit\nfrom coursekit import Value",
    "graph": "%%trace --grad\n" + TEXTBOOK_SOURCE,
    "steps": "%%trace --grad --steps\n" + TEXTBOOK_SOURCE,
    "student class": STUDENT_CLASS,
    "student": "%%trace --grad\n" + STUDENT_GRAPH,
    "wide": "%%trace --grad\n" + WIDE_CHAIN,
    "mlp": "%%trace\n" + MLP,
    "big": "%%trace\n" + BIG_LAYER,
    "after big": AFTER_BIG_LAYER,
}


def new_notebook(cells):
    """A notebook that names its kernel, so JupyterLab starts it without asking."""
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    return notebook


def tour_notebook():
    title = nbformat.v4.new_markdown_cell("# A tour of `%%trace`, for the browser tests")
    return new_notebook([title] + [nbformat.v4.new_code_cell(source) for source in CELLS.values()])


def write_tour_notebook(path):
    nbformat.write(tour_notebook(), path)
    return path


def find_cell(path, wanted):
    """Index of the first cell of the notebook at `path` whose source satisfies `wanted`."""
    for index, cell in enumerate(nbformat.read(path, as_version=4).cells):
        if wanted(cell.source):
            return index
    raise LookupError(f"{path} has no cell like the one the browser tests look for")


def cell_index(role):
    """Position of a role's cell in the tour notebook (the markdown title is cell 0)."""
    return 1 + list(CELLS).index(role)
