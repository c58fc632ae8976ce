"""Fold a big graph into an overview that `dot` lays out in about a second and a student can read.

`dot` needs about 1 s for 1,000 values and minutes for 5,000, so a graph above `max_nodes` values
is folded in three passes, each said plainly in the note returned with it:

1. every long run of the same associative op (the `w1*x1 + w2*x2 + ...` sum of a neuron) becomes
   one node, "Σ 784 terms", whose inputs are the terms;
2. neurons, layers of alike neurons and groups of inputs become one box each (see overview.py),
   so an MLP shows as inputs → layer → layer → output;
3. if that is still too many, only the values closest to the outputs are kept (whole levels while
   they fit, then the next level shared out evenly), and each value whose inputs were cut gets a
   grey "… N inputs" box.
"""

from collections import defaultdict

from coursekit.tracing.graph import Edge, Graph, Node, users_and_children
from coursekit.tracing.overview import overview

ASSOCIATIVE = {"+": "Σ", "*": "Π"}
MIN_CHAIN = 3  # ops in a run before it is worth folding (a + b + c stays as it is)


def fold(graph, max_nodes):
    """(graph to draw, note saying what was folded or left out; "" when nothing was)."""
    total = len(graph.nodes)
    if max_nodes is None or total <= max_nodes:
        return graph, ""
    graph, chains, absorbed = fold_chains(graph)
    graph, groups = overview(graph)
    kept, depth = _nearest_levels(graph, max_nodes)
    left_out = len(graph.nodes) - len(kept)
    if left_out:
        graph = _keep(graph, kept)
    if not any(node.kind == "chain" for node in graph.nodes):
        chains = {}  # every Σ is inside a neuron box, which says so itself
    layers = [node.label for node in graph.nodes if node.kind == "layer" and node.label]
    return graph, _note(total, max_nodes, chains, absorbed, groups, (len(kept), left_out, depth), layers[:1])


def fold_chains(graph):
    """Replace each run of one associative op by a single node; (graph, runs by op, values absorbed)."""
    users, children = users_and_children(graph)
    absorbed = set()
    chains = defaultdict(int)
    nodes, edges = list(graph.nodes), []
    for i, node in enumerate(graph.nodes):
        if i in absorbed:
            continue
        run, terms = _run_below(i, graph.nodes, users, children)
        if len(run) >= MIN_CHAIN:
            absorbed.update(run[1:])
            chains[node.op] += 1
            nodes[i] = node._replace(kind="chain", count=len(terms), expr="")
            edges.extend(Edge(child, i, local) for child, local in terms)
        else:
            edges.extend(Edge(child, i, local) for child, local in children[i])
    return _keep(Graph(nodes, edges), [i for i in range(len(nodes)) if i not in absorbed]), dict(chains), len(absorbed)


def _run_below(top, nodes, users, children):
    """The nodes of the run of `top`'s op that hangs below it (top first), and the run's terms as
    (child, d(top)/d(child)): a child joins the run when it has the same op, no name and no other user."""
    op = nodes[top].op
    if op not in ASSOCIATIVE:
        return [top], children[top]
    run, terms = [top], []
    stack = [(top, 1.0)]
    while stack:
        i, scale = stack.pop()
        for child, local in reversed(children[i]):
            slope = None if scale is None or local is None else scale * local
            node = nodes[child]
            if node.op == op and not node.label and node.kind == "value" and users[child] == 1:
                run.append(child)
                stack.append((child, slope))
            else:
                terms.append((child, slope))
    terms.reverse()
    return run, terms


def _nearest_levels(graph, max_nodes):
    """The values closest to the outputs that fit in max_nodes: whole levels (all values at most
    `depth` steps below an output), then as much of the next level as fits, shared out evenly
    between the values it feeds (so every Σ shows its first few terms). Returns (kept, depth)."""
    users, children = users_and_children(graph)
    level = [i for i in range(len(graph.nodes)) if not users[i]]
    kept, seen, depth = list(level), set(level), 0
    while level:
        below_each = []
        for i in level:
            fresh = []
            for child, _ in children[i]:
                if child not in seen:  # checked one by one: a * a lists its child twice
                    seen.add(child)
                    fresh.append(child)
            below_each.append(fresh)
        below = [child for fresh in below_each for child in fresh]
        if not below:
            break
        depth += 1
        if len(kept) + len(below) > max_nodes:
            kept.extend(_share_out(below_each, max_nodes - len(kept)))
            break
        kept.extend(below)
        level = below
    return kept, depth


def _share_out(groups, budget):
    """Up to budget items, taking the first of every group, then the second of every group, ..."""
    taken, rank = [], 0
    while len(taken) < budget and any(len(group) > rank for group in groups):
        taken.extend(group[rank] for group in groups if len(group) > rank)
        rank += 1
    return taken[: max(0, budget)]


def _keep(graph, kept):
    """The subgraph of the kept nodes, plus one "more" node below each node whose inputs were cut."""
    kept = sorted(kept)
    index = {old: new for new, old in enumerate(kept)}
    nodes = [graph.nodes[i] for i in kept]
    edges, cut = [], defaultdict(set)
    for edge in graph.edges:
        if edge.parent not in index:
            continue
        if edge.child in index:
            edges.append(Edge(index[edge.child], index[edge.parent], edge.local_grad))
        else:
            cut[index[edge.parent]].add(edge.child)
    for parent, children in sorted(cut.items()):
        nodes.append(Node(data=None, kind="more", count=len(children)))
        edges.append(Edge(len(nodes) - 1, parent, None))
    return Graph(nodes, edges)


def _note(total, max_nodes, chains, absorbed, groups, cut, layers):
    parts = [f"This graph has {total:,} values, more than --max-nodes {max_nodes:,}, so it is folded into an overview."]
    folded = []
    if groups.get("neurons"):
        boxes = [_plural(groups[kind], f"{kind} box", f"{kind} boxes") for kind in ("layer", "neuron") if groups.get(kind)]
        folded.append(f"{_plural(groups['neurons'], 'neuron')} into {' and '.join(boxes)}")
    if groups.get("inputs"):
        folded.append(f"{_plural(groups['inputs'], 'input')} into {_plural(groups['input boxes'], 'box', 'boxes')}")
    if chains:
        runs = " and ".join(f"{_plural(count, 'run')} of '{op}'" for op, count in chains.items())
        folded.append(f"{runs} into {' or '.join(ASSOCIATIVE[op] for op in chains)} nodes ({absorbed:,} inner values)")
    if folded:
        parts.append(f"Folded: {'; '.join(folded)}. Each box says its form and how many it holds.")
    shown, left_out, depth = cut
    if left_out:
        parts.append(f"Shown: the {shown:,} parts nearest the outputs (at most {_plural(depth, 'step')} below them);"
                     f" {left_out:,} deeper ones are left out (the grey '…' boxes).")
    for layer in layers:
        parts.append(f"To see one neuron of layer {layer} in full: `%trace {layer}[0]`")
    parts.append(
        "To see it all, as text or as a picture in a file (dot takes minutes above a few thousand values): "
        f"`%%trace --max-nodes {total} --format text` `%%trace --max-nodes {total} --save graph.svg`"
    )
    return " ".join(parts)


def _plural(count, noun, plural=None):
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"
