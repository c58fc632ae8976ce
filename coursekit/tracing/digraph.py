"""The graphviz picture of a traced graph: styling only (the graph itself is plain data).

One record per value, `label | data | grad`, a round node per operation, leaves green, computed
values blue, operations yellow, laid out left to right. SVG ids are stable, for the step-through
view and for tests: value `v<i>`, its operation `o<i>`, the edge child -> operation `e<k>` (k is the
edge's index in `graph.edges`), the edge operation -> value `r<i>`; all behind an optional prefix.
Marks (a feedback picture's wrong numbers) are data handed to the builder: values and edges drawn
in red, an edge's label given one more line.
"""

import re
import textwrap
from dataclasses import dataclass, field

import graphviz

from coursekit.tracing.fold import ASSOCIATIVE, fold
from coursekit.tracing.graph import Graph, format_number, trace

LEAF = "#c8e6c9"  # green: a value nothing was computed from
COMPUTED = "#bbdefb"  # blue: the result of an operation
OPERATION = "#fff59d"  # yellow
GROUP = "#e1bee7"  # purple: a neuron or a layer of them, in the overview of a big graph
LEFT_OUT = "#eeeeee"
MARKED = "#d32f2f"  # red: a number that is wrong
OVERVIEW_ABOVE = 300  # values; a bigger graph is drawn as an overview (`max_nodes`, --max-nodes)
FONT = "Helvetica"
NODE_PT, EDGE_PT = 11, 10  # font sizes; the view keeps the smaller at 10 px or more (view.READABLE_SCALE)
MAX_NAME = 40  # characters of a value's name in its box; a longer one is cut, the whole shown on hover


@dataclass(frozen=True)
class Marks:
    """What to draw in red: values by their index in graph.nodes, and edges by their index in
    graph.edges, each with a line added to its label (`expected local 3`)."""

    values: frozenset = frozenset()
    edges: dict = field(default_factory=dict)


NO_MARKS = Marks()


def draw_dot(root, *, rankdir="LR", ops=True, edges=False, max_nodes=OVERVIEW_ABOVE, names=None):
    """The graph below `root` (a Value of any class, or a traced `Graph`) as a `graphviz.Digraph`.

    ops=False folds operation nodes into the edges; edges=True writes each edge's local gradient
    (and, once backward has run, upstream × local = contribution); above `max_nodes` values the
    graph is folded and the picture says how (see `coursekit.tracing.fold`).
    """
    graph = root if isinstance(root, Graph) else trace(root, names=names)
    graph, note = fold(graph, max_nodes)
    return build_digraph(graph, note, rankdir=rankdir, ops=ops, edges=edges)


def build_digraph(graph, note="", *, rankdir="LR", ops=True, edges=False, marks=NO_MARKS, id_prefix="", first=()):
    """The styled DOT of a graph; `first` are values (by index) drawn together in the first rank,
    where a reader starts (a feedback picture's inputs)."""
    dot = graphviz.Digraph(
        graph_attr={"rankdir": rankdir, "fontname": FONT, "fontsize": str(NODE_PT), "ranksep": "0.35"},
        node_attr={"fontname": FONT, "fontsize": str(NODE_PT)},
        edge_attr={"fontname": FONT, "fontsize": str(EDGE_PT), "color": "#555555"},
    )
    if note:
        dot.attr(label="\\l".join(textwrap.wrap(note, 110)) + "\\l", labelloc="b", labeljust="l")
    computed = {edge.parent for edge in graph.edges}
    backward_ran = any(isinstance(n.grad, (int, float)) and n.grad for n in graph.nodes)
    heads = {}
    for i, node in enumerate(graph.nodes):
        name = f"v{i}"
        heads[i] = name
        if node.kind == "more":
            plural = "s" * (node.count != 1)
            dot.node(name, f"… {node.count} input{plural}", id=id_prefix + name, shape="box",
                     style="dashed,filled", fillcolor=LEFT_OUT, fontcolor="#555555")
            continue
        if node.kind in ("neuron", "layer", "inputs"):
            _group(dot, name, node, rankdir, id_prefix)
            continue
        show_op = ops and i in computed and (node.op or node.kind == "chain")
        dot.node(name, _record(node, rankdir, op_in_record=not show_op), id=id_prefix + name, shape="record",
                 style="filled", fillcolor=COMPUTED if i in computed else LEAF, **_red(i in marks.values),
                 **_hover(node.name))
        if show_op:
            heads[i] = f"o{i}"
            dot.node(f"o{i}", op_text(node), id=f"{id_prefix}o{i}", shape="ellipse", style="filled",
                     fillcolor=OPERATION)
            dot.edge(f"o{i}", name, id=f"{id_prefix}r{i}")
    if first:
        with dot.subgraph() as start:
            start.attr(rank="source")
            for i in sorted(first):
                start.node(f"v{i}")
    for k, edge in enumerate(graph.edges):
        parent = graph.nodes[edge.parent]
        label = _edge_text(edge, parent, backward_ran) if edges else ""
        if not ops and op_text(parent):
            label = f"{op_text(parent)}  {label}".strip()
        if k in marks.edges:
            label = f"{label}\\n{marks.edges[k]}"
        dot.edge(f"v{edge.child}", heads[edge.parent], label=label, id=f"{id_prefix}e{k}", **_red(k in marks.edges))
    return dot


def _red(marked):
    return {"color": MARKED, "fontcolor": MARKED, "penwidth": "2.5"} if marked else {}


def _hover(name):
    """The whole name as the box's tooltip, when the box shows it cut."""
    return {"tooltip": name} if len(name) > MAX_NAME else {}


def short_name(name):
    """A name as its box shows it: at most MAX_NAME characters (`adam_step(params, grads, m, v, t…`)."""
    return name if len(name) <= MAX_NAME else name[:MAX_NAME - 1] + "…"


def _record(node, rankdir, op_in_record, form=""):
    name = short_name(node.name or (op_text(node) if op_in_record else ""))
    fields = [_escape(name)] + ([_escape(form)] if form else []) + [f"data {_escape(format_number(node.data))}"]
    if node.grad is not None:
        fields.append(f"grad {_escape(format_number(node.grad))}")
    text = " | ".join(fields)
    return "{ " + text + " }" if rankdir == "LR" else text  # braces turn the fields sideways


def _group(dot, name, node, rankdir, id_prefix):
    """A box of the overview: one neuron as a record like a value's, a layer or inputs as a stack."""
    fill = LEAF if node.kind == "inputs" else GROUP
    if node.kind == "neuron":
        dot.node(name, _record(node._replace(label=node.label or "neuron"), rankdir, op_in_record=False, form=node.form),
                 id=id_prefix + name, shape="record", style="filled", fillcolor=fill)
    else:
        dot.node(name, group_text(node).replace(", ", "\n"), id=id_prefix + name, shape="box3d", style="filled",
                 fillcolor=fill)


def group_text(node):
    """`hidden: layer of 16 neurons, each tanh(Σ 16 w·x + b)`, `xs: 16 inputs`."""
    lead = f"{node.label}: " if node.label else ""
    if node.kind == "layer":
        return f"{lead}layer of {node.count:,} neurons, each {node.form}"
    if node.kind == "inputs":
        return f"{lead}{node.count:,} inputs"
    return f"{lead}neuron {node.form}"


def op_text(node):
    """What made the value: its op, `Σ 12 terms` for a folded run, a neuron's form; "" for a leaf."""
    if node.kind == "chain":
        return f"{ASSOCIATIVE[node.op]} {node.count:,} {'terms' if node.op == '+' else 'factors'}"
    return node.op or node.form


def _edge_text(edge, parent, backward_ran):
    if edge.local_grad is None:
        return ""
    if backward_ran and isinstance(parent.grad, (int, float)):
        return f"{format_number(parent.grad)} × {format_number(edge.local_grad)} = {format_number(parent.grad * edge.local_grad)}"
    return f"local {format_number(edge.local_grad)}"


def _escape(text):
    return re.sub(r'([{}|<>"\\])', r"\\\1", text)
