"""%%trace on Value classes written the way students and other courses write them (real_classes.py),
in a real kernel: every one draws, a backward() that fails still gives the forward picture with the
grads untouched, and what cannot be drawn is said in one sentence that names what the class holds."""

import html
import math
import re

import pytest
from notebook_runner import run_cells
from real_classes import BROKEN_MUL, FLOAT_LOCALS, IN_PLACE, LIST_LOCALS, OTHER_NAMES

from coursekit.tracing.digraph import MARKED
from coursekit.tracing.view import svg_from_image

CELLS = {
    "load": "%load_ext coursekit",
    "float_class": FLOAT_LOCALS,
    "float_locals": "%%trace --grad\na = Scalar(2.0); b = Scalar(-1.5)\nout = (a * b).exp() + (a + b).relu()",
    "list_class": LIST_LOCALS,
    "list_locals": "%%trace --grad --edges\nx = Var(3.0); w = Var(-2.0)\ny = x * w + x",
    "broken_class": BROKEN_MUL,
    "broken_setup": "p = Val(2.0); q = Val(-3.0); r = Val(4.0)\nfor v in (p, q, r): v.grad = 0.25",
    "broken": "%%trace --grad\npq = p * q  # _prev is a set: p*q may read q*p, so it is named\nloss = pq + r",
    "broken_after": "print(p.grad, q.grad, r.grad, loss.grad)",
    "deep": "%%trace --grad\nz = Scalar(0.5)\nfor _ in range(4000):\n    z = z * Scalar(1.0)",
    "in_place_class": IN_PLACE,
    "in_place": "%%trace\ntotal = Acc(1.0)\ntotal += Acc(2.0)",
    "other_class": OTHER_NAMES,
    "other_names": "%%trace\nn1 = Node(2.0); n2 = Node(3.0)\nn3 = n1 * n2",
    "other_line": "%trace n3",
    "names_before": "from coursekit import Value\nout = Value(5.0)\nxs = [Value(1.0), Value(2.0)]",
    "names": "%%trace --format text\nout = xs[0]",
    "names_in_cell": "%%trace --format text\nys = [Value(3.0)]\nfirst = ys[0]\ntwice = first * 2",
    "typo": "%%trace --gard\nq1 = Value(1.0) * 2",
    "typo_line": "%trace --edgs out",
    "own_value": "class Value:\n    def __init__(self, val):\n        self.val = val\n        self._prev = ()\nv = Value(1.0)",
    "own_value_line": "%trace v",
}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """{cell name: (cell, execute reply)} after running the whole notebook once."""
    return run_cells(CELLS, tmp_path_factory.mktemp("notebook"))


def said(run, name):
    """What the cell printed (the magic's messages), without the pictures' text."""
    cell, _ = run[name]
    return "".join(o.text for o in cell.outputs if o.output_type == "stream")


def text_tree(run, name):
    cell, _ = run[name]
    return "".join(o.data["text/plain"] for o in cell.outputs if o.output_type == "display_data")


def svg_of(run, name):
    cell, _ = run[name]
    [view] = [o.data["text/html"] for o in cell.outputs if o.output_type == "display_data" and "text/html" in o.data]
    return svg_from_image(view)


def records(svg):
    """{fields of a value record: is it drawn in red}."""
    groups = re.findall(r'<g id="v\d+" class="node">(.*?)</g>', svg, re.S)
    return {tuple(html.unescape(t) for t in re.findall(r"<text[^>]*>(.*?)</text>", g)): MARKED in g for g in groups}


def grads_by_nudging(f, *xs, h=1e-6):
    """d f / d x_i by central differences: the oracle, independent of any Value class."""
    return [(f(*xs[:i], x + h, *xs[i + 1:]) - f(*xs[:i], x - h, *xs[i + 1:])) / (2 * h) for i, x in enumerate(xs)]


def fields_of(svg, name):
    [fields] = [fields for fields in records(svg) if fields[0] == name]
    return dict(field.split(" ", 1) for field in fields[1:])


def test_only_the_mistyped_and_undrawable_cells_fail(run):
    failed = [name for name in CELLS if run[name][1]["content"]["status"] != "ok"]
    assert failed == ["other_line", "typo", "typo_line", "own_value_line"]


def test_local_gradients_stored_as_bare_floats_draw_with_the_right_grads(run):
    svg = svg_of(run, "float_locals")
    da, db = grads_by_nudging(lambda a, b: math.exp(a * b) + max(0.0, a + b), 2.0, -1.5)
    assert math.isclose(float(fields_of(svg, "a")["grad"]), da, rel_tol=1e-3)
    assert math.isclose(float(fields_of(svg, "b")["grad"]), db, rel_tol=1e-3)
    assert ">exp</text>" in svg and ">relu</text>" in svg  # one-child ops named from a bare-float local gradient


def test_local_gradients_stored_as_values_in_lists_draw_on_the_edges(run):
    svg = svg_of(run, "list_locals")
    dx, dw = grads_by_nudging(lambda x, w: x * w + x, 3.0, -2.0)
    assert math.isclose(float(fields_of(svg, "x")["grad"]), dx, rel_tol=1e-6)
    assert math.isclose(float(fields_of(svg, "w")["grad"]), dw, rel_tol=1e-6)
    texts = [html.unescape(t) for t in re.findall(r"<text[^>]*>(.*?)</text>", svg)]
    assert "1 × -2 = -2" in texts and "1 × 3 = 3" in texts  # y.grad × the Value w (its data) on the edge x -> *


def test_a_failing_backward_draws_the_forward_graph_marks_where_and_keeps_the_grads(run):
    assert said(run, "broken").strip() == (
        "%%trace --grad: backward() raised AttributeError: 'float' object has no attribute 'data' while passing "
        "down the grad of pq (in red). The grads are drawn as they were before it ran; fix backward() and run "
        "the cell again.")
    drawn = records(svg_of(run, "broken"))
    assert [fields for fields, red in drawn.items() if red] == [("pq", "data -6", "grad 0")]
    assert ("p", "data 2", "grad 0.25") in drawn and ("loss", "data -2", "grad 0") in drawn
    assert ("r", "data 4", "grad 0.25") in drawn  # named as first bound, not as the loop variable v that followed
    assert said(run, "broken_after").split() == ["0.25", "0.25", "0.25", "0.0"]


def test_a_recursive_topological_sort_too_deep_for_python_says_how_to_walk_instead(run):
    message = said(run, "deep").strip()
    assert message.startswith("%%trace --grad: backward() raised RecursionError: maximum recursion depth exceeded")
    assert message.endswith("The grads are drawn as they were before it ran; a recursive walk of the graph goes one "
                         "Python call deeper per value, and Python stops at about a thousand: build the topological "
                         "order with a loop and a stack of your own.")
    assert "Traceback" not in message and len(message) < 400
    assert svg_of(run, "deep")  # the forward graph, as an overview


def test_children_under_other_names_are_named_in_what_cannot_be_drawn(run):
    assert said(run, "other_names").strip() == (
        "%%trace: the cell bound no Values to names and its last line is not a Value, so there is nothing to draw; "
        "n1 is a Node with .data but no _children or _prev (it holds: backward_fn, data, grad, parents); a value's "
        "inputs are read from _children (microGPT) or _prev (micrograd).")
    assert said(run, "other_line").strip().startswith(
        "UsageError: %trace n3: that is a Node with .data but no _children or _prev (it holds: backward_fn, data, "
        "grad, parents)")


def test_a_class_called_value_is_never_called_not_a_value(run):
    message = said(run, "own_value_line").strip()
    assert message.startswith("UsageError: %trace v: that is a Value without .data (a value to draw has .data")
    assert "not a Value" not in message


def test_the_cells_own_last_assignment_names_a_value_with_several_names(run):
    assert text_tree(run, "names").strip() == "out  data 1  grad 0"
    assert text_tree(run, "names_in_cell").splitlines()[:2] == ["twice  data 6  grad 0  ← *", "├─ first  data 3  grad 0"]


@pytest.mark.parametrize("name, says", [
    ("typo", "%%trace: unknown option --gard; did you mean --grad? Options come first, e.g. %%trace --grad; "
             "%%trace? lists them."),
    ("typo_line", "%trace: unknown option --edgs; did you mean --edges? Options come first, e.g. %trace --grad L; "
                  "%trace? lists them."),
])
def test_a_mistyped_option_gets_the_nearest_one(run, name, says):
    assert said(run, name).strip() == "UsageError: " + says


def test_a_value_among_its_own_inputs_and_a_failing_label_property_still_draw(run):
    drawn = records(svg_of(run, "in_place"))
    assert set(drawn) == {("total", "data 3", "grad 0"), (" ", "data 2", "grad 0")}  # the unnamed 2.0 has no name
    assert said(run, "in_place") == ""
