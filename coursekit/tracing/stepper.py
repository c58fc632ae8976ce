"""`--steps`: walk through the backward pass one node at a time, in a self-contained HTML view.

graphviz lays the graph out once; a small inline script (assets/stepper.js, in the page made from
assets/stepper.html) then toggles styles per step (no CDN, no server), so the view works offline,
in JupyterLab/Notebook, VS Code and exported HTML. Its keys (←/→, Home/End, Space) stop at the
view, so a notebook's shortcuts never see them; without scripts it shows the finished pass. The grads come
from replaying backward on the traced data (node 0 is the root), never from the user's class.

Stable hooks for browser tests and course notebooks (all inside the one `div.ck-steps`):

- `div.ck-steps`: `data-step-count` = number of steps (one per node of the backward pass, in
  reverse topological order), `data-step` = the position shown, 0 (start: root.grad = 1) to count,
  `data-ck-current` = the label of the node being processed ("" at the start); before the
  script runs, `data-step` is the count (the finished pass is what the static page shows).
- `button.ck-prev`, `button.ck-next`, `button.ck-play` (its text is "▶ Play" or "❚❚ Pause"),
  `input.ck-slider` (type range, 0 to count), `span.ck-position` ("3 / 7"), `div.ck-status` (what
  the current step does, e.g. "Step 1 of 7: L passes its grad 1 to its inputs: d += 1 × -2 = -2").
- each value of the graph is an SVG `g.node.ck-node` with `data-ck-label` (its name: label,
  variable or expression, else its op in parentheses) and `data-ck-grad` (its grad at this step, as shown in its record).
- the node being processed has class `ck-current` (its operation node too); the edges it sends
  grads along have class `ck-active` and show "upstream × local = contribution"; edges of earlier
  steps have class `ck-done`.
"""

import json
from dataclasses import dataclass

from coursekit.tracing.drawing import Drawing
from coursekit.tracing.engines import TraceError
from coursekit.tracing.graph import Graph, format_number
from coursekit.tracing.view import READABLE_SCALE, asset, fill, new_box_id, svg_image

# What the view says where its script does not run (an untrusted notebook): the picture is the end.
STATIC_TEXT = ("This is the end of the backward pass, every grad final. To step through it, trust the notebook "
               "(Trust Notebook, in the command palette or the File menu) or run the cell again.")


@dataclass(frozen=True)
class Step:
    node: int
    upstream: float  # the node's grad when it is processed, final by then
    edges: tuple  # indices into graph.edges that the node sends its grad along
    updates: tuple  # (child, child's grad after this step)
    text: str


def backward_steps(graph):
    """Replay backward from node 0 of a graph traced from one root: one Step per node."""
    if any(edge.local_grad is None for edge in graph.edges):
        raise TraceError("--steps needs every local gradient: store them in `_local_grads` "
                         "(microGPT style) or use ops micrograd knows (+, *, **n, tanh, exp, relu, log)")
    grads = [0.0] * len(graph.nodes)
    grads[0] = 1.0
    outgoing = [[] for _ in graph.nodes]
    for k, edge in enumerate(graph.edges):
        outgoing[edge.parent].append(k)
    steps = []
    for i, node in enumerate(graph.nodes):
        updates, sums = [], []
        for k in outgoing[i]:
            child, local = graph.edges[k].child, graph.edges[k].local_grad
            grads[child] += grads[i] * local
            updates.append((child, grads[child]))
            sums.append(f"{name_of(graph.nodes[child])} += {format_number(grads[i])} × {format_number(local)} = "
                        f"{format_number(grads[i] * local)} (now {format_number(grads[child])})")
        where = f"Step {i + 1} of {len(graph.nodes)}: {name_of(node)}"
        text = (f"{where} passes its grad {format_number(grads[i])} to its inputs: " + "; ".join(sums) if sums
                else f"{where} is a leaf: its grad {format_number(grads[i])} is final.")
        steps.append(Step(i, grads[i], tuple(outgoing[i]), tuple(updates), text))
    return steps


def name_of(node):
    return node.name or f"({node.op})"


def steps_text(graph):
    """The backward pass as text: what a terminal shows instead of the step-through view."""
    return "\n".join([_intro(graph)] + [step.text for step in backward_steps(graph)])


def steps_html(graph, *, rankdir="LR", ops=True):
    """The step-through view as one HTML fragment (a `div.ck-steps` with its style and script).

    The fragment shows the finished pass (every grad final) and says how to make it step; its
    script rewinds to the start, so where scripts do not run the picture is still the answer.
    """
    steps = backward_steps(graph)
    final = [0.0] * len(graph.nodes)
    for step in steps:
        final[step.node] = step.upstream
    drawn = Graph([node._replace(grad=grad) for node, grad in zip(graph.nodes, final)], graph.edges)
    box_id = new_box_id()
    prefix = box_id.replace("-", "_") + "_"  # no hyphens: graphviz writes them as &#45; in ids
    svg = Drawing(drawn, rankdir=rankdir, ops=ops, edges=True, id_prefix=prefix).picture("svg").decode()
    data = {
        "prefix": prefix,
        "labels": [name_of(node) for node in graph.nodes],
        "start": ["1"] + ["0"] * (len(graph.nodes) - 1),
        "intro": _intro(graph),
        "steps": [{"node": s.node, "edges": list(s.edges), "updates": [[c, format_number(g)] for c, g in s.updates],
                   "text": s.text} for s in steps],
    }
    payload = json.dumps(data).replace("</", "<\\/")  # a "</script>" inside a label must not end the tag
    return fill(asset("stepper.html"), {
        "BOX_ID": box_id, "STEP_COUNT": str(len(steps)), "READABLE_SCALE": READABLE_SCALE,
        "VIEW_CSS": asset("view.css"), "STEPPER_CSS": asset("stepper.css"), "TOOLBAR_HTML": asset("toolbar.html"),
        "VIEW_JS": asset("view.js"), "STEPPER_JS": asset("stepper.js"),
        "STATIC_TEXT": STATIC_TEXT, "SVG_HERE": svg_image(svg), "DATA_HERE": payload,
    })


def _intro(graph):
    return (f"Start: {name_of(graph.nodes[0])}.grad = 1 (the output's slope with respect to itself); "
            "every other grad is 0.")
