"""Fold a big graph so that `dot` can lay it out in about a second.

`dot` needs about 1 s for 1,000 values and minutes for 5,000, so a graph above `max_nodes` values
is folded in two passes, each said plainly in the note returned with it:

1. every long run of the same associative op (the `w1*x1 + w2*x2 + ...` sum of a neuron) becomes
   one node, "Σ 784 terms", whose inputs are the terms;
2. if that is still too many, only the values closest to the outputs are kept (whole levels while
   they fit), and each value whose inputs were cut gets a grey "… N inputs" box.
"""

from collections import defaultdict

from coursekit.graph import Edge, Graph, Node

ASSOCIATIVE = {"+": "Σ", "*": "Π"}
MIN_CHAIN = 3  # ops in a run before it is worth folding (a + b + c stays as it is)


def fold(graph, max_nodes):
    """(graph to draw, note saying what was folded or left out; "" when nothing was)."""
    total = len(graph.nodes)
    if max_nodes is None or total <= max_nodes:
        return graph, ""
    graph, chains, absorbed = fold_chains(graph)
    kept, depth = _nearest_levels(graph, max_nodes)
    if len(kept) < len(graph.nodes):
        graph = _keep(graph, kept)
    return graph, _note(total, max_nodes, chains, absorbed, len(kept), depth)


def fold_chains(graph):
    """Replace each run of one associative op by a single node; (graph, runs by op, values absorbed)."""
    users, children = _users_and_children(graph)
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
            nodes[i] = Node(node.data, node.grad, node.op, node.label, kind="chain", count=len(terms))
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
    """The values at most `depth` steps below an output, for the largest depth that fits in
    max_nodes (never fewer than the outputs and, in order, as many of the next level as fit)."""
    users, children = _users_and_children(graph)
    level = [i for i in range(len(graph.nodes)) if not users[i]]
    kept, seen, depth = list(level), set(level), 0
    while level:
        below = []
        for i in level:
            for child, _ in children[i]:
                if child not in seen:
                    seen.add(child)
                    below.append(child)
        if not below:
            break
        if len(kept) + len(below) > max_nodes:
            if depth == 0:
                kept.extend(below[: max(0, max_nodes - len(kept))])
                depth = 1
            break
        kept.extend(below)
        level, depth = below, depth + 1
    return kept, depth


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


def _users_and_children(graph):
    users = [0] * len(graph.nodes)
    children = [[] for _ in graph.nodes]
    for edge in graph.edges:
        users[edge.child] += 1
        children[edge.parent].append((edge.child, edge.local_grad))
    return users, children


def _note(total, max_nodes, chains, absorbed, shown, depth):
    parts = [f"This graph has {total:,} values, more than --max-nodes {max_nodes:,}, so it is folded."]
    if chains:
        runs = ", ".join(f"{count:,} runs of '{op}' as {ASSOCIATIVE[op]} nodes" for op, count in chains.items())
        parts.append(f"Drawn as one node each, with the number of terms: {runs} ({absorbed:,} inner values).")
    left_out = total - absorbed - shown
    if left_out:
        parts.append(
            f"Shown: the {shown:,} values at most {depth} step{'s' * (depth != 1)} below the outputs;"
            f" {left_out:,} deeper values are left out (the grey '…' boxes)."
        )
    parts.append(
        f"To see it all: %%trace --max-nodes {total} --save graph.svg"
        " (dot takes minutes above a few thousand values), or --format text."
    )
    return " ".join(parts)
