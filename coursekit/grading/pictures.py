"""Pictures for feedback: the student's graph of a failing case, wrong gradients marked in red.

Drawn from a CaseOutcome's picture (coursekit.grading.checks.base.CaseGraph), the numbers the
child already returned as the case's check read them, never by running the student's code here.
The drawing is %%trace's own (coursekit.tracing.drawing), so students see the picture they know
from their notebooks. Only cases whose inputs the student may see have a picture.
"""


def graph_svg(picture):
    """The picture as an SVG string, laid out like %%trace's (None without a layout engine)."""
    from coursekit.tracing.digraph import Marks
    from coursekit.tracing.drawing import Drawing
    from coursekit.tracing.engines import TraceError
    from coursekit.tracing.graph import Edge, Graph, Node, format_number, with_expressions
    from coursekit.tracing.infer import infer_op
    from coursekit.tracing.view import svg_element

    last = len(picture.data) - 1
    position = {i: last - i for i in range(len(picture.data))}  # %%trace lists outputs first
    nodes = [None] * len(picture.data)
    for i, (data, grad, label) in enumerate(zip(picture.data, picture.grads, picture.labels)):
        children = picture.children[i]
        # the op as %%trace names it for a class that stores none, from the numbers the class stored
        op = infer_op(data, [picture.data[c] for c in children], list(picture.local_grads[i])) if children else ""
        if i in picture.wrong_data:
            data = f"{format_number(data)}, expected {format_number(picture.wrong_data[i])}"
        if i in picture.wrong_grads:
            grad = f"{format_number(grad)}, expected {format_number(picture.wrong_grads[i])}"
        nodes[position[i]] = Node(data=data, grad=grad, op=op, label=label)
    edges, marked = [], {}
    for parent in reversed(range(len(picture.data))):
        for k, (child, local) in enumerate(zip(picture.children[parent], picture.local_grads[parent])):
            if (parent, k) in picture.wrong_edges:
                marked[len(edges)] = f"expected local {format_number(picture.wrong_edges[parent, k])}"
            edges.append(Edge(position[child], position[parent], local))
    marks = Marks(frozenset(position[i] for i in (*picture.wrong_grads, *picture.wrong_data)), marked)
    try:
        inputs = frozenset(position[i] for i, label in enumerate(picture.labels) if label and not picture.children[i])
        graph = Graph(with_expressions(nodes, edges), edges)
        svg = Drawing(graph, edges=True, marks=marks, first=inputs).picture("svg").decode()
    except TraceError:
        return None
    return svg_element(svg)

