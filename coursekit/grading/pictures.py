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

