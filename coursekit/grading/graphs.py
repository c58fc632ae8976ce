"""The graphs a `backward` test builds with the student's constructor, then calls backward() on.

A graph is a list of nodes (data, children indices, local grads), children before their users;
the last node is the output. The named shapes are the classic ways a backward pass goes wrong;
random ones are drawn from the rubric's domains; a chain is long enough to overflow a recursive walk.
"""

from coursekit.grading.protocol import ChainRequest, GraphRequest

SHAPES = {
    "single": [(2.0, (), ()), (-3.0, (), ()), (-6.0, (0, 1), (-3.0, 2.0))],
    "lonely": [(5.0, (), ())],
    "diamond": [(1.5, (), ()), (3.0, (0,), (2.0,)), (4.5, (0,), (3.0,)), (7.5, (1, 2), (1.0, 1.0))],
    # the middle node feeds the output directly and through a second node: visiting it before
    # that second node is done loses part of its gradient
    "order": [(1.0, (), ()), (2.0, (0,), (2.0,)), (6.0, (1,), (3.0,)), (8.0, (1, 2), (1.0, 1.0))],
    "twice": [(2.0, (), ()), (4.0, (), ()), (8.0, (0, 1), (4.0, 2.0))],
    "chain": None,  # built in a loop by the probe; its length comes from the rubric
}
CALLS = {"twice": 2}  # backward() called twice: the grads must accumulate
CHAIN_LOCAL_GRADS = (2.0, 0.5)
DEFAULT_CHAIN = 100_000
SHAPE_NOTES = {
    "single": "one node with two children",
    "lonely": "a single node without children",
    "diamond": "a node used by two others (the diamond)",
    "order": "a node used directly and through another node",
    "twice": "backward() called twice on the same graph",
    "chain": "a chain of {length} nodes",
}


def shape_request(shape, chain_length):
    """(label, request) for a named shape."""
    label = "backward on " + SHAPE_NOTES[shape].format(length=chain_length)
    if shape == "chain":
        report = sorted(i for i in {0, 1, 2, chain_length // 2, chain_length - 1, chain_length} if i <= chain_length)
        return label, ChainRequest(chain_length, list(CHAIN_LOCAL_GRADS), 1, report)
    return label, graph_request(SHAPES[shape], CALLS.get(shape, 1))


def graph_request(nodes, calls=1):
    return GraphRequest([[data, list(children), list(local)] for data, children, local in nodes], calls,
                        list(range(len(nodes))))


def random_graph(sizes, local_grad, rng):
    """A random DAG: a few leaves, then nodes using 1-3 earlier nodes (maybe one twice).

    `sizes()` draws the number of nodes and `local_grad()` one local gradient.
    """
    size = int(sizes())
    leaves = min(size, rng.randint(1, 3))
    nodes = [(round(rng.uniform(-3, 3), 3), (), ()) for _ in range(leaves)]
    for i in range(leaves, size):
        children = tuple(rng.randrange(i) for _ in range(rng.randint(1, 3)))
        nodes.append((round(rng.uniform(-3, 3), 3), children, tuple(local_grad() for _ in children)))
    return nodes
