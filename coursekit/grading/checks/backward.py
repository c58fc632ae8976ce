"""`check = "backward"`: the student's own backward(), on graphs built with their constructor only.

A graph is a list of nodes (data, children indices, local grads), children before their users;
the last node is the output. The named shapes are the classic ways a backward pass goes wrong;
random ones are drawn from the rubric's domains; a chain is long enough to overflow a recursive
walk. The case is judged on the grads backward() leaves on the nodes.
"""

from coursekit.grading.cases import Case
from coursekit.grading.checks.base import MAX_PICTURE_NODES, CaseGraph, Check, Mismatch, fixed_cases, reference_answer, sample
from coursekit.grading.protocol import ChainRequest, GraphRequest
from coursekit.grading.settings import SETTINGS, FixedCase, TestProblem, read_domain

DOMAINS = ("nodes", "local", "chain")  # a backward test's own settings

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
SHAPE_LABELS = {  # what a student reads of each named case
    "single": "backward on one node with two children",
    "lonely": "backward on a single node without children",
    "diamond": "backward on a node used by two others (the diamond)",
    "order": "backward on a node used directly and through another node",
    "twice": "backward() called twice on the same graph",
    "chain": "backward on a chain of {length} nodes",
}


def shape_request(shape, chain_length):
    """(label, request) for a named shape."""
    label = SHAPE_LABELS[shape].format(length=chain_length)
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


class Backward(Check):
    name = "backward"

    def read(self, raw):
        strays = [key for key in raw if key not in SETTINGS and key not in DOMAINS]
        if strays or "target" in raw:
            strays = strays or ["target"]
            raise TestProblem(f"has unknown key(s) {strays} (a backward test builds graphs)", strays[0])
        domains = {key: read_domain(key, raw[key]) for key in ("nodes", "local") if key in raw}
        chain = raw.get("chain", DEFAULT_CHAIN)
        if not isinstance(chain, int) or chain < 1:
            raise TestProblem("chain must be a whole number of nodes >= 1", "chain")
        domains["chain"] = chain
        if raw.get("cases") and not {"nodes", "local"} <= set(domains):
            raise TestProblem("draws random graphs: it needs nodes = [low, high] and local = [low, high]", "cases")
        return dict(domains=domains, examples=_shapes(raw.get("examples", []), "examples"),
                    boundaries=_shapes(raw.get("boundaries", []), "boundaries"))

    def draw(self, spec, namespace, rng):
        cases = []
        for fixed, public in fixed_cases(spec):
            label, request = shape_request(fixed.inputs["shape"], spec.domains["chain"])
            cases.append(_case(spec, len(cases), label, public, request, namespace, fixed.expected))
        for _ in range(spec.cases):
            nodes = random_graph(lambda: _size(spec.domains["nodes"], rng), lambda: sample(spec.domains["local"], rng), rng)
            label = f"backward on a random graph of {len(nodes)} nodes"
            cases.append(_case(spec, len(cases), label, spec.show_inputs, graph_request(nodes), namespace))
        return cases, 0

    def public_settings(self, spec):
        return {"chain": spec.domains["chain"]}  # the length of the chain example

    def compare(self, spec, case, expected, got, close):
        if len(got.grads) != len(expected.grads):
            raise ValueError("one grad per reported node")
        if not all(map(close, got.grads, expected.grads)):
            raise Mismatch("grads after backward()", tuple(expected.grads), tuple(got.grads))

    def reorderings(self, request):
        """The graph with every node's children listed the other way round: the grads are the same,
        but a walk that visits children in order (recursive) and one that pops them off a stack
        meet the nodes in different orders, so an order-dependent mistake gives other numbers."""
        if not isinstance(request, GraphRequest) or all(len(node[1]) < 2 for node in request.nodes):
            return ()
        nodes = [[data, children[::-1], local[::-1]] for data, children, local in request.nodes]
        return (GraphRequest(nodes, request.calls, request.report),)

    def picture(self, spec, case, got, close):
        if not isinstance(case.request, GraphRequest) or len(case.request.nodes) > MAX_PICTURE_NODES:
            return None
        nodes = case.request.nodes
        wrong = {i: want for i, grad, want in zip(case.request.report, got.grads, case.expected.grads) if not close(grad, want)}
        return CaseGraph(case.label, tuple(node[0] for node in nodes), tuple(tuple(node[1]) for node in nodes),
                         tuple(tuple(node[2]) for node in nodes), tuple(got.grads),
                         tuple(f"n{i}" for i in range(len(nodes))), {}, wrong)


def _shapes(names, key):
    if not isinstance(names, list):
        raise TestProblem(f"{key} must be a list of graph names", key)
    cases = []
    for case in names:
        shape = case.get("shape") if isinstance(case, dict) else case
        if shape not in SHAPES:
            raise TestProblem(f"{key}: {shape!r} is not one of the graphs {sorted(SHAPES)}", key)
        cases.append(FixedCase(0, {"shape": shape}, expected=case.get("expected", "") if isinstance(case, dict) else ""))
    return tuple(cases)


def _size(domain, rng):
    if domain[0] == "intervals":
        low, high = rng.choice(domain[1])
        return rng.randint(int(low), int(high))
    return int(sample(domain, rng))


def _case(spec, number, label, public, request, namespace, fixed_expected=""):
    expected = reference_answer(namespace, fixed_expected, request, label)
    return Case((spec.name, number), label if public else f"hidden case: {label}", public, request, expected, None, request)
