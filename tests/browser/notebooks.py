"""The notebook the browser tests open, built with nbformat, and what it should show.

The textbook example (Karpathy's micrograd lecture): L = (a*b + c) * f. Its gradients have
closed forms, so the tests check what the browser shows against arithmetic, not against
coursekit's own backward.
"""

import nbformat

A, B, C, F = 2.0, -3.0, 10.0, -2.0
TEXTBOOK = """\
a = Value(2.0); b = Value(-3.0); c = Value(10.0); f = Value(-2.0)
e = a * b
d = e + c
L = d * f"""

# value -> (data, dL/dvalue), worked out by hand from L = (a*b + c) * f.
TEXTBOOK_VALUES = {
    "a": (A, B * F),
    "b": (B, A * F),
    "c": (C, F),
    "f": (F, A * B + C),
    "e": (A * B, F),
    "d": (A * B + C, F),
    "L": ((A * B + C) * F, 1.0),
}
# value -> the values it was computed from, with d(value)/d(input) for each.
TEXTBOOK_INPUTS = {
    "e": {"a": B, "b": A},
    "d": {"e": 1.0, "c": 1.0},
    "L": {"d": F, "f": A * B + C},
}

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

# Cell sources by role, in notebook order; the tests find cells by these, not by index.
CELLS = {
    "setup": "%load_ext coursekit\nfrom coursekit import Value",
    "graph": "%%trace --grad\n" + TEXTBOOK,
    "steps": "%%trace --grad --steps\n" + TEXTBOOK,
    "big": "%%trace\n" + BIG_LAYER,
    "after big": AFTER_BIG_LAYER,
}


def tour_notebook():
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    notebook.cells = [nbformat.v4.new_markdown_cell("# A tour of `%%trace`, for the browser tests")]
    notebook.cells += [nbformat.v4.new_code_cell(source) for source in CELLS.values()]
    return notebook


def write_tour_notebook(path):
    nbformat.write(tour_notebook(), path)
    return path


def cell_index(role):
    """Position of a role's cell in the tour notebook (the markdown title is cell 0)."""
    return 1 + list(CELLS).index(role)
