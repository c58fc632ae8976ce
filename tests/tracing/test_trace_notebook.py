"""%%trace in a real kernel: one notebook, built with nbformat and run once with nbclient + ipykernel,
then every test reads the outputs and execute replies of its own cells."""

import html
import json
import math
import re

import pytest
from notebook_runner import run_cells
from sample_graphs import MICROGRAD_VALUE, NO_BACKWARD_VALUE, STUDENT_VALUE

from coursekit.tracing.drawing import MAX_INLINE_SVG
from coursekit.tracing.view import svg_from_image

CELLS = {
    "load": "%load_ext coursekit\nfrom coursekit import Value",
    "textbook": """%%trace --grad
a = Value(2.0); b = Value(-3.0); c = Value(10.0); f = Value(-2.0)
e = a * b
d = e + c
L = d * f
L""",
    "kept": "print(L.data, L.grad, a.grad, e.grad)",
    "fails": "%%trace\nz = Value(1.0) * 3\nraise ValueError('boom in the cell')",
    "after_failure": "print(z.data)",
    "syntax_error": "%%trace\nz = (",
    "student_class": STUDENT_VALUE,
    "student": "%%trace --grad\np = StudentValue(2.0); q = StudentValue(-3.0)\nr = p * q + p",
    "micrograd_class": MICROGRAD_VALUE,
    "micrograd": "%%trace --grad --edges\nx = MicroValue(0.5, label='x'); w = MicroValue(-1.5, label='w')\nout = (x * w + x).tanh()",
    "bare_class": NO_BACKWARD_VALUE,
    "no_backward": "%%trace --grad\nm = Bare(1.0) + Bare(2.0)",
    "no_local_grads": "%%trace --steps\nm2 = Bare(1.0) + Bare(2.0)",
    "two_outputs": "%%trace --grad\ny1 = a * 2\ny2 = b * 3",
    "chosen_root": "%%trace --grad --root y2 --format text\ny1 = a * 2\ny2 = b * 3",
    "line": "%trace --format text e",
    "fit": "%trace --fit L",
    "steps": "%trace --steps --save steps.html L",
    "save": "%%trace --grad --save graph.svg\nk = Value(3.0) * Value(4.0)",
    "help": "%%trace?",
    "undefined_name": "%trace L_undefined_name",
    "not_a_value": "%trace --grad 3",
    "unknown_option": "%trace --bogus L",
    "mlp": """%%trace
import random
random.seed(0)
def neuron(inputs):
    return sum((Value(random.uniform(-1, 1)) * x for x in inputs), Value(0.0)).tanh()
xs = [Value(random.uniform(-1, 1)) for _ in range(16)]
hidden = [neuron(xs) for _ in range(16)]
hidden2 = [neuron(hidden) for _ in range(16)]
y = neuron(hidden2)""",
    "big": """%%trace
inputs = [Value(0.001 * i) for i in range(100)]
layer = [sum((Value(0.01) * x for x in inputs), Value(0.0)).tanh() for _ in range(66)]
total = sum(layer)""",
    "hide_dot": "import os, shutil\nos.environ['PATH'] = ''\nprint('which dot:', shutil.which('dot') or 'no dot')",
    "no_dot": "%%trace --grad\ng = Value(1.5) * Value(2.0)",
}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """{cell name: (cell, execute reply)} after running the whole notebook once."""
    folder = tmp_path_factory.mktemp("notebook")
    results = run_cells(CELLS, folder)
    results["folder"] = folder
    return results


def outputs(run, name, kind=None):
    cell, _ = run[name]
    return [o for o in cell.outputs if kind is None or o.output_type == kind]


def status(run, name):
    return run[name][1]["content"]["status"]


def view_of(run, name):
    """The picture's HTML: the drawing in its scrolling view, with the folding note above it."""
    [view] = [o.data["text/html"] for o in outputs(run, name, "display_data") if "text/html" in o.data]
    return view


def svg_of(run, name):
    return svg_from_image(view_of(run, name))


def records(svg):
    """The fields of every value record in the SVG, e.g. ('a', 'data 2', 'grad 6')."""
    groups = re.findall(r'<g id="v\d+" class="node">(.*?)</g>', svg, re.S)
    return {tuple(html.unescape(t) for t in re.findall(r"<text[^>]*>(.*?)</text>", g)) for g in groups}


def text_of(run, name):
    return "".join(o.get("text", "") or o.get("data", {}).get("text/plain", "") for o in outputs(run, name))


def test_all_cells_but_the_failing_ones_succeed(run):
    assert [name for name in CELLS if status(run, name) != "ok"] == [
        "fails", "syntax_error", "undefined_name", "not_a_value", "unknown_option"]
    assert run["syntax_error"][1]["content"]["ename"] == "SyntaxError"


def test_textbook_graph_has_labels_data_and_grads(run):
    assert records(svg_of(run, "textbook")) == {
        ("a", "data 2", "grad 6"), ("b", "data -3", "grad -4"), ("c", "data 10", "grad -2"),
        ("f", "data -2", "grad 4"), ("e", "data -6", "grad -2"), ("d", "data 4", "grad -2"),
        ("L", "data -8", "grad 1"),
    }
    assert svg_of(run, "textbook").count('class="node"') == 7 + 3  # 7 values, 3 operations


def test_the_cell_runs_like_a_normal_cell(run):
    [result] = outputs(run, "textbook", "execute_result")
    assert result.data["text/plain"].startswith("Value(data=-8.0")
    assert text_of(run, "kept").split() == ["-8.0", "1.0", "6.0", "-2.0"]


def test_a_failing_cell_shows_one_traceback_and_fails(run):
    assert status(run, "fails") == "error"
    assert run["fails"][1]["content"]["ename"] == "ValueError"
    [error] = outputs(run, "fails", "error")
    assert error.ename == "ValueError" and error.evalue == "boom in the cell"
    assert not outputs(run, "fails", "display_data")
    assert text_of(run, "after_failure").strip() == "3.0"  # lines before the error ran and stay bound


def test_student_class_draws_with_its_grads(run):
    # r = p*q + p: dr/dp = q + 1, dr/dq = p; the unnamed p*q is named by its expression
    svg = svg_of(run, "student")
    assert records(svg) == {
        ("p", "data 2", "grad -2"), ("q", "data -3", "grad 2"), ("p*q", "data -6", "grad 1"), ("r", "data -4", "grad 1"),
    }
    assert svg.count('class="node"') == 4 + 2  # op nodes inferred for + and *, drawn as the reference draws them
    assert ">+</text>" in svg and ">*</text>" in svg


def test_micrograd_class_draws_with_ops_and_edge_products(run):
    svg = svg_of(run, "micrograd")
    fields = records(svg)
    assert any(r[0] == "out" for r in fields) and ">tanh<" in svg
    texts = [html.unescape(t) for t in re.findall(r"<text[^>]*>(.*?)</text>", svg)]
    x, w = 0.5, -1.5
    slope = 1 - math.tanh(x * w + x) ** 2  # out = tanh(x*w + x), by hand
    assert f"1 × {slope:.4g} = {slope:.4g}" in texts  # out.grad × local on the edge into tanh
    assert ("x", "data 0.5", f"grad {slope * (w + 1):.4g}") in fields and ("w", "data -1.5", f"grad {slope * x:.4g}") in fields


def test_grad_without_backward_or_with_two_outputs_says_so_plainly(run):
    assert "Bare has no backward() method" in text_of(run, "no_backward")
    assert svg_of(run, "no_backward")
    assert "--steps needs every local gradient" in text_of(run, "no_local_grads") and svg_of(run, "no_local_grads")
    message = text_of(run, "two_outputs")
    assert "2 values that nothing else uses (y1, y2)" in message and "--root NAME" in message
    assert "Traceback" not in message
    assert "y2  data -9  grad 1" in text_of(run, "chosen_root")


def test_line_magic_draws_one_expression(run):
    assert text_of(run, "line").splitlines()[0] == "e  data -6  grad -2  ← *"


def test_steps_has_one_step_per_backward_node_and_saves_a_standalone_page(run):
    [view] = [o.data for o in outputs(run, "steps", "display_data") if "text/html" in o.data]
    assert 'data-step-count="7"' in view["text/html"]
    data = json.loads(re.search(r'class="ck-data">(.*?)</script>', view["text/html"], re.S).group(1))
    assert [data["labels"][s["node"]] for s in data["steps"]] == ["L", "f", "d", "c", "e", "b", "a"]
    assert view["text/plain"].count("Step ") == 7
    saved = (run["folder"] / "steps.html").read_text()
    assert saved.startswith("<!DOCTYPE html>") and 'data-step-count="7"' in saved and "<script>" in saved


def test_save_writes_the_file_from_the_suffix(run):
    assert (run["folder"] / "graph.svg").read_text().lstrip().startswith("<?xml")
    assert "Saved graph.svg" in text_of(run, "save")


def test_help_lists_the_options(run):
    [page] = run["help"][1]["content"]["payload"]
    help_text = page["data"]["text/plain"]
    for option in ["--grad", "--root", "--rankdir", "--format", "--save", "--max-nodes", "--no-ops", "--edges", "--steps"]:
        assert option in help_text
    assert "::" not in help_text
    assert re.search(r"^\s*%trace \[options\] EXPRESSION", help_text, re.M)
    assert re.search(r"^\s*%%trace \[options\]", help_text, re.M)


@pytest.mark.parametrize("name, says", [
    ("undefined_name", "%trace L_undefined_name: name 'L_undefined_name' is not defined. Run the cell that makes it first"),
    ("not_a_value", "%trace 3: that is an int, not a Value"),
    ("unknown_option", "%trace: unknown option --bogus. Options come first, e.g. %trace --grad L"),
])
def test_mistakes_get_one_or_two_lines_and_no_traceback_through_coursekit(run, name, says):
    assert status(run, name) == "error" and run[name][1]["content"]["ename"] == "UsageError"  # the cell fails
    shown = text_of(run, name).strip()
    assert shown.startswith("UsageError: " + says), shown
    assert "Traceback" not in shown and "coursekit/" not in shown and len(shown) < 240

def test_an_mlp_forward_pass_is_an_overview_of_inputs_layers_and_output(run):
    view = html.unescape(view_of(run, "mlp"))
    texts = re.findall(r"<text[^>]*>(.*?)</text>", html.unescape(svg_of(run, "mlp")))
    assert {"xs: 16 inputs", "hidden: layer of 16 neurons", "hidden2: layer of 16 neurons", "each tanh(Σ 16 w·x + b)"} <= set(texts)
    assert ("y", "tanh(Σ 16 w·x + b)") == tuple(texts[:2]) or "y" in texts
    note = view[view.index('class="ck-note"'):view.index('class="ck-picture"')]  # the note is text above the picture
    assert "is folded into an overview" in note and "33 neurons into 2 layer boxes and 1 neuron box" in note
    assert '<code class="ck-command">%trace hidden2[0]</code>' in note


def test_twenty_thousand_values_fold_with_the_note(run):
    svg = html.unescape(view_of(run, "big"))
    total = int(re.search(r"This graph has ([\d,]+) values, more than --max-nodes 300", svg).group(1).replace(",", ""))
    assert total > 20_000
    assert "To see it all" in svg
    assert len(svg) < MAX_INLINE_SVG
    assert len(records(svg_of(run, "big"))) <= 300


def test_without_dot_on_path_the_pip_installed_layout_draws_the_same_picture(run):
    assert status(run, "no_dot") == "ok" and not outputs(run, "no_dot", "error")
    assert ("g", "data 3", "grad 1") in records(svg_of(run, "no_dot"))
    assert "which dot" in text_of(run, "hide_dot") and "no dot" in text_of(run, "hide_dot")


def test_fit_opens_the_picture_whole(run):
    assert 'data-ck-fit="1"' in view_of(run, "fit") and 'data-ck-fit="0"' in view_of(run, "textbook")
