"""What the engine's fast paths must keep: the gradients, the clear errors, labels and op names.

backward() spells out nodes of one and two children, an op builds its result without
Value()'s checks, ** tries the plain formula before the careful one, and a label rides on
the op name. Each is checked here against an independent oracle or the slow path it skips.
"""

import math
import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from coursekit import Value, reverse_topological_order, trace
from coursekit.gradcheck import numerical_grad

settings.register_profile("coursekit", deadline=None, max_examples=60)
settings.load_profile("coursekit")

# -- random graphs: nodes of one, two and many children, values used several times ------------

SMOOTH = {
    "add": (2, lambda a, b: a + b),
    "mul": (2, lambda a, b: a * b),
    "sub": (2, lambda a, b: a - b),
    "rsub": (1, lambda a: 0.5 - a),
    "div": (2, lambda a, b: a / (b * b + 1.0)),
    "tanh": (1, lambda a: a.tanh()),
    "exp": (1, lambda a: (a * 0.5).tanh().exp()),
    "log": (1, lambda a: (a * a + 0.5).log()),
    "square": (1, lambda a: a**2),
    "sqrt": (1, lambda a: (a * a + 1.0) ** 0.5),
    "sigmoid": (1, lambda a: a.sigmoid()),
    "sum": (3, lambda a, b, c: Value.sum([a, b, c, 0.25])),
    "dot": (3, lambda a, b, c: Value.dot([a, b], [c, 2.0])),
}
KINKED = {**SMOOTH, "relu": (1, lambda a: a.relu())}


def recipes(ops):
    """A list of (op name, indices of earlier values) to apply to some leaves, in order."""
    step = st.tuples(st.sampled_from(sorted(ops)), st.lists(st.integers(0, 10**6), min_size=3, max_size=3))
    return st.lists(step, min_size=1, max_size=14)


def build(ops, recipe, numbers):
    """Apply the recipe to Values of the numbers; returns the leaves and the output."""
    leaves = [Value(x) for x in numbers]
    pool = list(leaves)
    for name, picks in recipe:
        arity, op = ops[name]
        pool.append(op(*[pool[i % len(pool)] for i in picks[:arity]]))
    return leaves, Value.sum(pool[len(leaves) :])


def textbook_grads(root):
    """d(root)/d(node) for every node, by the plainest reverse mode there is (a recursive
    topological sort and a zip), kept apart from the nodes' own .grad."""
    order, seen = [], set()

    def visit(node):
        if id(node) not in seen:
            seen.add(id(node))
            for child in node._children:
                visit(child)
            order.append(node)

    visit(root)
    grads = dict.fromkeys(map(id, order), 0.0)
    grads[id(root)] = 1.0
    for node in reversed(order):
        for child, local in zip(node._children, node._local_grads):
            grads[id(child)] += local * grads[id(node)]
    return grads


numbers = st.lists(st.floats(-1.5, 1.5, allow_nan=False), min_size=1, max_size=4)


def built_or_skipped(ops, recipe, xs):
    try:
        return build(ops, recipe, xs)
    except (OverflowError, ZeroDivisionError, ValueError):
        assume(False)


@given(recipe=recipes(KINKED), xs=numbers)
def test_backward_gives_every_node_the_textbook_gradient(recipe, xs):
    leaves, out = built_or_skipped(KINKED, recipe, xs)
    out.backward()
    expected = textbook_grads(out)
    for node in reverse_topological_order(out):
        assert node.grad == pytest.approx(expected[id(node)], rel=1e-9, abs=1e-12)


@given(recipe=recipes(KINKED), xs=numbers)
def test_a_second_backward_doubles_the_leaves_and_keeps_the_computed_values(recipe, xs):
    leaves, out = built_or_skipped(KINKED, recipe, xs)
    out.backward()
    first = [node.grad for node in reverse_topological_order(out)]
    out.backward()
    for node, grad in zip(reverse_topological_order(out), first):
        assert node.grad == pytest.approx(grad if node._children else 2 * grad, rel=1e-9, abs=1e-12)


@given(recipe=recipes(SMOOTH), xs=numbers)
def test_backward_agrees_with_central_differences(recipe, xs):
    leaves, out = built_or_skipped(SMOOTH, recipe, xs)
    assume(abs(out.data) < 1e6)
    out.backward()
    for i, leaf in enumerate(leaves):

        def along(t, i=i):
            return build(SMOOTH, recipe, xs[:i] + [t] + xs[i + 1 :])[1].data

        h = 1e-6
        assert leaf.grad == pytest.approx(numerical_grad(along, xs[i], h), rel=1e-4, abs=1e-5)


def test_a_leaf_as_the_root_accumulates_like_any_leaf():
    a = Value(3.0)
    a.backward()
    a.backward()
    assert a.grad == 2.0
    w = Value(3.0)
    (w * w).backward()
    w.backward()  # the gradients of the losses w*w and w add up: 2w + 1
    assert w.grad == 7.0


# -- ** : the plain formula, and the careful path where it fails ------------------------------


exponents = st.one_of(st.integers(-4, 200), st.sampled_from([0.5, -0.5, 1.5, -1.5, 2.0, 0.25, 1e-3]))
bases = st.one_of(st.floats(-1e3, 1e3, allow_nan=False), st.sampled_from([0.0, -0.0, 1.0, -1.0, 2.0]))


@given(x=bases, n=exponents)
def test_power_matches_math_pow_or_says_why_not(x, n):
    try:
        expected = (math.pow(x, n), 0.0 if n == 0 else n * math.pow(x, n - 1))
    except (ValueError, OverflowError, ZeroDivisionError):
        expected = None
    if expected is not None and all(map(math.isfinite, expected)):
        out = Value(x) ** n
        assert (out.data, out._local_grads[0]) == (pytest.approx(expected[0]), pytest.approx(expected[1]))
        assert out._op == f"**{n:g}" and out._children[0].data == x
    elif expected is None:
        with pytest.raises((ValueError, OverflowError, ZeroDivisionError)) as caught:
            Value(x) ** n
        assert str(caught.value).startswith("**: ") and "math domain error" not in str(caught.value)


@pytest.mark.parametrize("n", [True, float("inf"), float("nan"), "2", None])
def test_an_exponent_that_is_no_finite_number_is_refused(n):
    with pytest.raises(TypeError, match=r"^\*\*: the exponent must be a finite int or float"):
        Value(2.0) ** n


# -- clear errors on every operator --------------------------------------------------------------


OPERATORS = [
    ("+", lambda a, x: a + x),
    ("+", lambda a, x: x + a),
    ("-", lambda a, x: a - x),
    ("-", lambda a, x: x - a),
    ("*", lambda a, x: a * x),
    ("*", lambda a, x: x * a),
    ("/", lambda a, x: a / x),
    ("/", lambda a, x: x / a),
]


@pytest.mark.parametrize("op,combine", OPERATORS)
@pytest.mark.parametrize("other", ["x", None, True, [1.0]])
def test_combining_a_value_with_a_non_number_names_the_operator(op, combine, other):
    with pytest.raises(TypeError) as caught:
        combine(Value(1.0), other)
    assert str(caught.value) == f"{op}: cannot combine a Value with {type(other).__name__} {other!r}"


@pytest.mark.parametrize(
    "make,op",
    [
        (lambda: Value(1e308) + 1e308, "+"),
        (lambda: Value(1e308) * 10, "*"),
        (lambda: Value.sum([1e308, 1e308]), "sum"),
        (lambda: Value.dot([Value(1e308)], [10.0]), "dot"),
        (lambda: Value(1e308) - (-1e308), "+"),
    ],
)
def test_a_result_too_large_for_a_float_names_its_op(make, op):
    with pytest.raises(OverflowError, match=rf"^{re.escape(op)}: the result is inf, too large for a float"):
        make()


# -- labels and op names, as drawings read them ------------------------------------------------


def test_labels_and_op_names_read_as_plain_attributes():
    a, b = Value(2.0, label="a"), Value(-3.0)
    e = a * b
    assert (a.label, b.label, e.label) == ("a", "", "")
    assert (a._op, e._op, (a + b)._op, a.exp()._op, (a**-1)._op, (a**1.5)._op) == ("", "*", "+", "exp", "**-1", "**1.5")
    e.label = "e"
    assert e.label == "e" and e._op == "*" and isinstance(e._op, str)
    e.label = "renamed"
    assert e.label == "renamed" and e._op == "*"
    assert not a._op  # a labelled leaf still has no op
    assert type(e) is Value and type(a) is Value and not hasattr(e, "__dict__")


def test_the_tracer_sees_labels_and_op_names():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    e = a * b
    e.label = "e"
    out = e + 1.0
    graph = trace(out)
    seen = {(node.label, node.op) for node in graph.nodes}
    assert {("a", ""), ("b", ""), ("e", "*"), ("", "+")} <= seen


def test_a_subclass_that_redefines_mul_changes_the_reflected_form_too():
    class Swapped(Value):
        __slots__ = ()

        def __mul__(self, other):
            other = other if isinstance(other, Value) else Value(other)
            return Value(self.data * other.data, (self, other), (self.data, other.data))

    b = Swapped(-0.5)
    assert (2.0 * b)._local_grads == (-0.5, 2.0)  # the subclass's (wrong) rule, reached through __rmul__
