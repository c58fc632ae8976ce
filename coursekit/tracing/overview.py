"""The overview of a big graph: the structures a student knows, each drawn as one box.

After runs of `+` are folded into Σ nodes (see fold.py), three groupings are made, in order:

- a **neuron**: an activation (tanh, relu, ...) over a Σ of products `w·x` (plus a bias), or such a
  Σ alone; the products are `*` nodes or one `dot` node (coursekit.nn's); the weights, products
  and bias are inside it, the `x`s are its inputs;
- a **layer**: neurons of the same form over the same inputs, drawn once with their count;
- **inputs**: leaves feeding the same groups, drawn once with their count.

Everything else stays as it was. The result is a `Graph` whose group nodes have kind "neuron",
"layer" or "inputs"; their edges carry no local gradient (a group has many).
"""

import re
from collections import defaultdict

from coursekit.tracing.graph import Edge, Graph, users_and_children

MIN_PRODUCTS = 2  # a Σ of fewer products is no neuron worth naming
MIN_GROUP = 3  # inputs feeding the same groups, before they are drawn as one box
INDEXED = re.compile(r"^(.*)\[\d+\]$")


def overview(graph):
    """(grouped graph, {kind: number of values grouped}) for a graph whose runs are folded."""
    users, children = users_and_children(graph)
    group_of = list(range(len(graph.nodes)))  # node -> the node that stands for its group
    heads = {}  # group head -> Node to draw
    neurons = _neurons(graph, users, children)
    for top, (members, _, _) in neurons.items():
        for member in members:
            group_of[member] = top
    layers = defaultdict(list)
    for top, (_, inputs, form) in neurons.items():
        layers[(form, frozenset(group_of[i] for i in inputs))].append(top)
    counts = defaultdict(int)
    for (form, _), tops in layers.items():
        head = max(tops)  # after every user of any of them and before all their inputs: order stays users-first
        for top in tops:
            for member in neurons[top][0]:
                group_of[member] = head
        top_node = graph.nodes[head]
        if len(tops) == 1:
            heads[head] = top_node._replace(op="", form=form, kind="neuron", count=1, expr="")
            counts["neuron"] += 1
        else:
            name = _common_name([graph.nodes[top].label for top in tops])
            heads[head] = top_node._replace(op="", form=form, kind="layer", count=len(tops), label=name, expr="", data=None,
                                            grad=None)
            counts["layer"] += 1
        counts["neurons"] += len(tops)
    _group_inputs(graph, children, group_of, heads, counts)
    if not heads:
        return graph, {}
    return _quotient(graph, group_of, heads), dict(counts)


def _neurons(graph, users, children):
    """{top: (members, inputs, form)} for every neuron, found from the outputs down."""
    found, taken = {}, set()
    for i, node in enumerate(graph.nodes):
        if i in taken:
            continue
        activation, total = "", i
        kids = children[i]
        if len(kids) == 1 and node.kind == "value" and node.op and node.op[0].isalpha() and users[kids[0][0]] == 1:
            activation, total = node.op, kids[0][0]
        neuron = _weighted_sum(total, graph.nodes, users, children)
        if neuron is None:
            continue
        members, inputs, products, bias = neuron
        members.append(i)
        if total != i:
            members.append(total)
        form = f"Σ {products} w·x" + (" + b" if bias else "")
        found[i] = (members, inputs, f"{activation}({form})" if activation else form)
        taken.update(members)
    return found


def _weighted_sum(i, nodes, users, children):
    """(members, inputs, number of products, has a bias) when node i is Σ w·x (+ b), else None.

    The products are `w * x` nodes, or one `dot` node holding them all (coursekit.nn builds a
    neuron so); a weight is a leaf nothing else uses.
    """
    node = nodes[i]
    if node.op == "dot":
        members, inputs, products = _dot_products(i, users, children)
        return (members, inputs, products, False) if products >= MIN_PRODUCTS else None
    if node.op != "+" or node.kind not in ("chain", "value"):
        return None
    members, inputs, products, bias = [], [], 0, False
    for term, _ in children[i]:
        pair = children[term]
        if nodes[term].op == "dot" and users[term] == 1:
            dot_members, dot_inputs, dot_products = _dot_products(term, users, children)
            members += [term, *dot_members]
            inputs += dot_inputs
            products += dot_products
            continue
        if nodes[term].op == "*" and users[term] == 1 and len(pair) == 2:
            weight = next((c for c, _ in pair if not children[c] and users[c] == 1), None)
            if weight is not None:
                members += [term, weight]
                inputs += [c for c, _ in pair if c != weight] or [weight]
                products += 1
                continue
        if not children[term] and users[term] == 1:
            members.append(term)
            bias = True
        else:
            inputs.append(term)
    return (members, inputs, products, bias) if products >= MIN_PRODUCTS else None


def _dot_products(i, users, children):
    """(weights, inputs, number of weights) of a dot node: its children are w0, x0, w1, x1, ..."""
    weights = [c for c, _ in children[i] if not children[c] and users[c] == 1]
    inputs = [c for c, _ in children[i] if c not in weights]
    return weights, inputs, len(weights)


def _group_inputs(graph, children, group_of, heads, counts):
    """Leaves that feed exactly the same groups become one "inputs" box."""
    feeds = defaultdict(set)
    for edge in graph.edges:
        if not children[edge.child] and group_of[edge.child] == edge.child and group_of[edge.parent] in heads:
            feeds[edge.child].add(group_of[edge.parent])
    alike = defaultdict(list)
    for leaf, groups in feeds.items():
        alike[frozenset(groups)].append(leaf)
    for leaves in alike.values():
        if len(leaves) < MIN_GROUP:
            continue
        head = min(leaves)
        for leaf in leaves:
            group_of[leaf] = head
        name = _common_name([graph.nodes[leaf].label for leaf in leaves])
        heads[head] = graph.nodes[head]._replace(kind="inputs", count=len(leaves), label=name, data=None, grad=None)
        counts["inputs"] += len(leaves)
        counts["input boxes"] += 1


def _common_name(labels):
    """`xs` when every label is `xs[i]` for one name, else ""."""
    names = {match.group(1) if (match := INDEXED.match(label or "")) else None for label in labels}
    return names.pop() if len(names) == 1 and None not in names else ""


def _quotient(graph, group_of, heads):
    """The graph with each group as one node (at its head's place), edges between groups once."""
    kept = [i for i in range(len(graph.nodes)) if group_of[i] == i]
    index = {old: new for new, old in enumerate(kept)}
    nodes = [heads.get(i, graph.nodes[i]) for i in kept]
    edges, seen = [], set()
    for edge in graph.edges:
        child, parent = group_of[edge.child], group_of[edge.parent]
        if child == parent:
            continue
        if child in heads or parent in heads:
            if (child, parent) in seen:
                continue
            seen.add((child, parent))
            edges.append(Edge(index[child], index[parent], None))
        else:
            edges.append(Edge(index[child], index[parent], edge.local_grad))
    return Graph(nodes, edges)
