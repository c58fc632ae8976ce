"""`--steps`: walk through the backward pass one node at a time, in a self-contained HTML view.

graphviz lays the graph out once; a small inline script then toggles styles per step (no CDN, no
server), so the view works offline, in JupyterLab/Notebook, and in exported HTML. The grads come
from replaying backward on the traced data (node 0 is the root), never from the user's class.

Stable hooks for browser tests and course notebooks (all inside the one `div.ck-steps`):

- `div.ck-steps`: `data-step-count` = number of steps (one per node of the backward pass, in
  reverse topological order), `data-step` = the position shown, 0 (start: root.grad = 1) to count,
  `data-ck-current` = the label of the node being processed ("" at the start).
- `button.ck-prev`, `button.ck-next`, `button.ck-play` (its text is "▶ Play" or "❚❚ Pause"),
  `input.ck-slider` (type range, 0 to count), `span.ck-position` ("3 / 7"), `div.ck-status` (what
  the current step does, e.g. "Step 1 of 7: L passes its grad 1 to its inputs: d += 1 × -2 = -2").
- each value of the graph is an SVG `g.node.ck-node` with `data-ck-label` (its label, or its op in
  parentheses) and `data-ck-grad` (its grad at this step, as shown in its record).
- the node being processed has class `ck-current` (its operation node too); the edges it sends
  grads along have class `ck-active` and show "upstream × local = contribution"; edges of earlier
  steps have class `ck-done`.
"""

import json
import re
import uuid
from dataclasses import dataclass

from coursekit.trace.digraph import build_digraph
from coursekit.trace.display import TraceError, layout
from coursekit.trace.graph import Graph, format_number


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
    """The step-through view as one HTML fragment (a `div.ck-steps` with its style and script)."""
    steps = backward_steps(graph)
    final = [0.0] * len(graph.nodes)
    for step in steps:
        final[step.node] = step.upstream
    drawn = Graph([node._replace(grad=grad) for node, grad in zip(graph.nodes, final)], graph.edges)
    token = uuid.uuid4().hex[:10]
    prefix = f"ck_{token}_"  # no hyphens: graphviz writes them as &#45; in ids
    svg = layout(build_digraph(drawn, rankdir=rankdir, ops=ops, edges=True, id_prefix=prefix), "svg").decode()
    data = {
        "prefix": prefix,
        "labels": [name_of(node) for node in graph.nodes],
        "start": ["1"] + ["0"] * (len(graph.nodes) - 1),
        "intro": _intro(graph),
        "steps": [{"node": s.node, "edges": list(s.edges), "updates": [[c, format_number(g)] for c, g in s.updates],
                   "text": s.text} for s in steps],
    }
    payload = json.dumps(data).replace("</", "<\\/")  # a "</script>" inside a label must not end the tag
    fill = {"BOX_ID": f"ck-steps-{token}", "STEP_COUNT": str(len(steps)), "SVG_HERE": svg[svg.index("<svg"):],
            "DATA_HERE": payload}
    return re.sub("|".join(fill), lambda match: fill[match.group()], _TEMPLATE)  # one pass: no re-replacing


def _intro(graph):
    return (f"Start: {name_of(graph.nodes[0])}.grad = 1 (the output's slope with respect to itself); "
            "every other grad is 0.")


_TEMPLATE = """<div class="ck-steps" id="BOX_ID" data-step-count="STEP_COUNT" data-step="0">
<style>
#BOX_ID .ck-controls { display: flex; gap: 8px; align-items: center; font: 13px sans-serif; margin: 4px 0; }
#BOX_ID .ck-status { font: 13px sans-serif; min-height: 2.6em; margin: 4px 0; }
#BOX_ID .ck-graph { overflow-x: auto; }
#BOX_ID g.edge text { visibility: hidden; }
#BOX_ID g.edge.ck-active text, #BOX_ID g.edge.ck-done text { visibility: visible; }
#BOX_ID g.edge.ck-done text { fill: #777777; }
#BOX_ID g.edge.ck-active path { stroke: #d32f2f; stroke-width: 2.5px; }
#BOX_ID g.edge.ck-active polygon { stroke: #d32f2f; fill: #d32f2f; }
#BOX_ID g.edge.ck-active text { fill: #d32f2f; font-weight: bold; }
#BOX_ID g.ck-current polygon, #BOX_ID g.ck-current ellipse { stroke: #d32f2f; stroke-width: 3px; }
</style>
<div class="ck-controls">
<button type="button" class="ck-prev">◀ Prev</button>
<button type="button" class="ck-play">▶ Play</button>
<button type="button" class="ck-next">Next ▶</button>
<input type="range" class="ck-slider" min="0" max="STEP_COUNT" value="0" step="1">
<span class="ck-position">0 / STEP_COUNT</span>
</div>
<div class="ck-status"></div>
<div class="ck-graph">SVG_HERE</div>
<script type="application/json" class="ck-data">DATA_HERE</script>
<script>
(function () {
  var box = document.getElementById("BOX_ID");
  if (!box || box.getAttribute("data-ck-ready")) return;
  box.setAttribute("data-ck-ready", "1");
  var data = JSON.parse(box.querySelector("script.ck-data").textContent);
  var svg = box.querySelector("svg");
  var slider = box.querySelector(".ck-slider"), play = box.querySelector(".ck-play");
  var count = data.steps.length, position = 0, timer = null;
  function part(name) { return svg.querySelector('[id="' + data.prefix + name + '"]'); }
  function mark(name, cls) { var el = part(name); if (el) el.classList.add(cls); }
  var nodes = data.labels.map(function (label, i) {
    var g = part("v" + i);
    if (g) { g.classList.add("ck-node"); g.setAttribute("data-ck-label", label); }
    return g;
  });
  function show(k) {
    position = Math.max(0, Math.min(count, k));
    var grads = data.start.slice();
    ["ck-current", "ck-active", "ck-done"].forEach(function (cls) {
      Array.prototype.forEach.call(box.querySelectorAll("." + cls), function (el) { el.classList.remove(cls); });
    });
    for (var s = 0; s < position; s++) {
      var step = data.steps[s], now = s === position - 1;
      step.updates.forEach(function (u) { grads[u[0]] = u[1]; });
      step.edges.forEach(function (e) { mark("e" + e, now ? "ck-active" : "ck-done"); });
      if (now) { mark("v" + step.node, "ck-current"); mark("o" + step.node, "ck-current"); }
    }
    nodes.forEach(function (g, i) {
      if (!g) return;
      var texts = g.querySelectorAll("text");
      texts[texts.length - 1].textContent = "grad " + grads[i];
      g.setAttribute("data-ck-grad", grads[i]);
    });
    box.setAttribute("data-step", position);
    box.setAttribute("data-ck-current", position ? data.labels[data.steps[position - 1].node] : "");
    slider.value = position;
    box.querySelector(".ck-position").textContent = position + " / " + count;
    box.querySelector(".ck-status").textContent = position ? data.steps[position - 1].text : data.intro;
  }
  function stop() { clearInterval(timer); timer = null; play.textContent = "▶ Play"; }
  box.querySelector(".ck-prev").addEventListener("click", function () { stop(); show(position - 1); });
  box.querySelector(".ck-next").addEventListener("click", function () { stop(); show(position + 1); });
  slider.addEventListener("input", function () { stop(); show(parseInt(slider.value, 10)); });
  play.addEventListener("click", function () {
    if (timer) { stop(); return; }
    if (position >= count) show(0);
    play.textContent = "❚❚ Pause";
    timer = setInterval(function () { show(position + 1); if (position >= count) stop(); }, 900);
  });
  show(0);
})();
</script>
</div>
"""
