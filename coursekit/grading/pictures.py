"""Pictures for feedback: the student's graph of a failing case, wrong gradients marked in red.

Drawn in the grading process from the numbers the child already returned (the student's graph
as data, children and local gradients; or the grads its backward() left), never by running the
student's code here. The drawing is %%trace's own (coursekit.tracing.drawing), so students see the
picture they know from their notebooks. Only cases whose inputs the student may see are drawn.
"""

import math
from dataclasses import dataclass

from coursekit.grading.compare import Mismatch, input_grads, is_primitive, node_grads
from coursekit.grading.protocol import Failure, GraphRequest

MAX_NODES = 60  # a picture a student can read; bigger graphs (the long backward chain) are not drawn


@dataclass(frozen=True)
class CaseGraph:
    """One failing case as plain numbers: nodes in the child's order (children first, root last)."""

    title: str
    data: tuple            # per node
    children: tuple        # per node: indices of its children
    local_grads: tuple     # per node: one per child, as the student stored them
    grads: tuple           # per node: d(root)/d(node) (op cases: our walk; backward: the student's grads)
    labels: tuple          # per node: a name ("a", "b", the expression) or ""
    wrong_edges: dict      # (node, child position) -> the expected local gradient
    wrong_grads: dict      # node -> the expected grad


def collector():
    """(on_case, graphs): give on_case to grade_plan; graphs then maps id(result) -> CaseGraph
    for each failing case that can be drawn (the results live in the report's failures)."""
    graphs = {}

    def on_case(spec, case, answer, result):
        def close(got, want):
            return isinstance(got, (int, float)) and math.isclose(
                got, want, rel_tol=spec.tolerance.rel, abs_tol=spec.tolerance.abs)

        graph = case_graph(spec, case, answer, result, close)
        if graph is not None:
            graphs[id(result)] = graph

    return on_case, graphs


def case_graph(spec, case, answer, result, close):
    """The CaseGraph of a failing case whose inputs are visible, else None."""
    if result.passed or not case.public or isinstance(answer, Failure):
        return None
    try:
        if spec.check == "backward":
            return _backward_graph(case, answer.grads, close) if isinstance(case.request, GraphRequest) else None
        return _target_graph(spec, case, answer, close)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, Mismatch):  # an answer we cannot read: no picture
        return None


def _target_graph(spec, case, answer, close):
    """The graph of a target with one Value output, as the student's class built it."""
    outputs = [output for output in answer.outputs if not isinstance(output, dict)]
    if len(outputs) != 1 or outputs[0] >= MAX_NODES:
        return None
    root, expected = outputs[0], case.expected
    data, children, local_grads = (numbers[:root + 1] for numbers in (answer.data, answer.children, answer.local))
    labels = [""] * len(data)
    names = [name for name in case.target.names if name in case.target.values]
    if len(names) == len(answer.inputs):
        for name, node in zip(names, answer.inputs):
            if node is not None and node <= root:
                labels[node] = name
    labels[root] = case.target.expression
    grads = node_grads(children, local_grads, root)
    wrong_edges, wrong_grads = {}, {}
    if spec.check == "local_grads" and is_primitive(expected):
        wanted = expected.local[expected.outputs[0]]
        wrong_edges = {(root, k): want for k, (got, want) in enumerate(zip(local_grads[root], wanted))
                       if not close(got, want)}
    for node, want in zip(answer.inputs, input_grads(expected)):
        if node is not None and node <= root and not close(grads[node], want):
            wrong_grads[node] = want
    return CaseGraph(case.label, tuple(data), _tuples(children), _tuples(local_grads), tuple(grads), tuple(labels),
                     wrong_edges, wrong_grads)


def _backward_graph(case, grads, close):
    nodes = case.request.nodes
    if len(nodes) > MAX_NODES:
        return None
    expected = case.expected.grads
    wrong = {i: want for i, got, want in zip(case.request.report, grads, expected) if not close(got, want)}
    return CaseGraph(case.label, tuple(node[0] for node in nodes), tuple(tuple(node[1]) for node in nodes),
                     tuple(tuple(node[2]) for node in nodes), tuple(grads), tuple(f"n{i}" for i in range(len(nodes))),
                     {}, wrong)


def _tuples(lists):
    return tuple(tuple(items) for items in lists)


def graph_svg(picture):
    """The picture as an SVG string, laid out like %%trace's (None without a layout engine)."""
    from coursekit.tracing.digraph import Marks
    from coursekit.tracing.drawing import Drawing
    from coursekit.tracing.engines import TraceError
    from coursekit.tracing.graph import Edge, Graph, Node, format_number
    from coursekit.tracing.view import svg_element

    last = len(picture.data) - 1
    position = {i: last - i for i in range(len(picture.data))}  # %%trace lists outputs first
    nodes = [None] * len(picture.data)
    for i, (data, grad, label) in enumerate(zip(picture.data, picture.grads, picture.labels)):
        if i in picture.wrong_grads:
            grad = f"{format_number(grad)}, expected {format_number(picture.wrong_grads[i])}"
        nodes[position[i]] = Node(data=data, grad=grad, label=label)
    edges, marked = [], {}
    for parent in reversed(range(len(picture.data))):
        for k, (child, local) in enumerate(zip(picture.children[parent], picture.local_grads[parent])):
            if (parent, k) in picture.wrong_edges:
                marked[len(edges)] = f"expected local {format_number(picture.wrong_edges[parent, k])}"
            edges.append(Edge(position[child], position[parent], local))
    marks = Marks(frozenset(position[i] for i in picture.wrong_grads), marked)
    try:
        svg = Drawing(Graph(nodes, edges), edges=True, marks=marks).picture("svg").decode()
    except TraceError:
        return None
    return svg_element(svg)

