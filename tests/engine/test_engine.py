"""The reference engine against closed forms and central differences."""

import gc
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coursekit import Value, paused_gc, reverse_topological_order, zero_grad
from coursekit.demo import textbook_example
from coursekit.gradcheck import numerical_grad

settings.register_profile("coursekit", deadline=None, max_examples=60)
settings.load_profile("coursekit")


def test_textbook_example():
    a, b, c, f = Value(2.0), Value(-3.0), Value(10.0), Value(-2.0)
    e = a * b
    d = e + c
    L = d * f
    L.backward()
    assert (e.data, d.data, L.data) == (-6.0, 4.0, -8.0)
    assert (a.grad, b.grad, c.grad, f.grad) == (6.0, -4.0, -2.0, 4.0)
    assert (e.grad, d.grad, L.grad) == (-2.0, -2.0, 1.0)
    assert repr(L) == "Value(data=-8.0, grad=1.0)"
    assert repr(Value(-8.0)) == "Value(data=-8.0, grad=0)"


# (name, f of one Value or number, derivative, points that must be included)
UNARY = [
    ("add", lambda a: a + 3.5, lambda x: 1.0),
    ("radd", lambda a: 3.5 + a, lambda x: 1.0),
    ("mul", lambda a: a * -2.5, lambda x: -2.5),
    ("rmul", lambda a: -2.5 * a, lambda x: -2.5),
    ("square", lambda a: a**2, lambda x: 2 * x),
    ("cube", lambda a: a**3, lambda x: 3 * x**2),
    ("neg", lambda a: -a, lambda x: -1.0),
    ("sub", lambda a: a - 1.5, lambda x: 1.0),
    ("rsub", lambda a: 1.5 - a, lambda x: -1.0),
    ("div", lambda a: a / 4, lambda x: 0.25),
    ("exp", lambda a: a.exp() if isinstance(a, Value) else math.exp(a), math.exp),
    ("tanh", lambda a: a.tanh() if isinstance(a, Value) else math.tanh(a), lambda x: 1 - math.tanh(x) ** 2),
    (
        "sigmoid",
        lambda a: a.sigmoid() if isinstance(a, Value) else 1 / (1 + math.exp(-a)),
        lambda x: math.exp(-x) / (1 + math.exp(-x)) ** 2,
    ),
]

POSITIVE = [
    ("log", lambda a: a.log() if isinstance(a, Value) else math.log(a), lambda x: 1 / x),
    ("sqrt", lambda a: a**0.5, lambda x: 0.5 / math.sqrt(x)),
    ("inverse", lambda a: a**-1, lambda x: -1 / x**2),
    ("inverse square", lambda a: a**-2, lambda x: -2 / x**3),
    ("rdiv", lambda a: 3 / a, lambda x: -3 / x**2),
    ("pow 1.5", lambda a: a**1.5, lambda x: 1.5 * x**0.5),
]

finite = st.floats(-20, 20, allow_nan=False)
positive = st.one_of(st.floats(1e-3, 50), st.sampled_from([1e-3, 0.01, 1.0]))


def grad_of(f, x):
    leaf = Value(x)
    out = f(leaf)
    out.backward()
    return out.data, leaf.grad


@pytest.mark.parametrize("name,f,df", UNARY, ids=[u[0] for u in UNARY])
@given(x=st.one_of(finite, st.sampled_from([0.0, -1.0, 1.0])))
def test_unary_ops_against_closed_forms_and_central_differences(name, f, df, x):
    data, grad = grad_of(f, x)
    assert data == pytest.approx(f(x), rel=1e-12, abs=1e-12)
    assert grad == pytest.approx(df(x), rel=1e-9, abs=1e-12)
    h = 1e-6 * max(1.0, abs(x))
    assert grad == pytest.approx(numerical_grad(lambda t: f(Value(t)).data, x, h), rel=1e-4, abs=1e-6)


@pytest.mark.parametrize("name,f,df", POSITIVE, ids=[p[0] for p in POSITIVE])
@given(x=positive)
def test_ops_on_positive_inputs(name, f, df, x):
    data, grad = grad_of(f, x)
    assert data == pytest.approx(f(x), rel=1e-12)
    assert grad == pytest.approx(df(x), rel=1e-9)
    h = x * 1e-5
    assert grad == pytest.approx(numerical_grad(lambda t: f(Value(t)).data, x, h), rel=1e-4)


@given(x=finite.filter(lambda v: v == 0 or abs(v) > 1e-3), n=st.sampled_from([-3, -2, -1, 0, 1, 2, 3]))
def test_pow_with_integer_exponents_including_negative_bases(x, n):
    if x == 0 and n < 1:
        x = 0.5
    data, grad = grad_of(lambda a: a**n, x)
    assert data == pytest.approx(x**n, rel=1e-12)
    assert grad == pytest.approx(n * x ** (n - 1) if n else 0.0, rel=1e-12)


@given(x=finite)
def test_relu_including_zero(x):
    data, grad = grad_of(Value.relu, x)
    assert data == max(x, 0.0)
    assert grad == (1.0 if x > 0 else 0.0)


def test_relu_gradient_at_zero_is_zero():
    assert grad_of(Value.relu, 0.0) == (0.0, 0.0)


@given(a=finite, b=finite)
def test_binary_ops_give_both_gradients(a, b):
    for f, da, db in [
        (lambda x, y: x + y, lambda: 1.0, lambda: 1.0),
        (lambda x, y: x * y, lambda: b, lambda: a),
        (lambda x, y: x - y, lambda: 1.0, lambda: -1.0),
    ]:
        x, y = Value(a), Value(b)
        f(x, y).backward()
        assert (x.grad, y.grad) == (pytest.approx(da()), pytest.approx(db()))


@given(a=finite, b=st.floats(0.1, 20) | st.floats(-20, -0.1))
def test_division_of_two_values(a, b):
    x, y = Value(a), Value(b)
    out = x / y
    out.backward()
    assert out.data == pytest.approx(a / b)
    assert x.grad == pytest.approx(1 / b)
    assert y.grad == pytest.approx(-a / b**2)


def test_primitives_store_children_and_local_grads():
    a, b = Value(2.0), Value(-3.0)
    assert (a * b)._children == (a, b) and (a * b)._local_grads == (-3.0, 2.0)
    assert (a + b)._children == (a, b) and (a + b)._local_grads == (1.0, 1.0)
    assert (a**3)._children == (a,) and (a**3)._local_grads == (12.0,)
    assert a.log()._local_grads == (0.5,)
    assert a.exp()._local_grads == (math.exp(2.0),)
    assert (a * b)._op == "*" and a.log()._op == "log"


def test_sum_and_dot_are_single_nodes_with_the_right_gradients():
    w = [Value(1.0), Value(-2.0), Value(3.0)]
    x = [Value(0.5), Value(4.0), Value(-1.0)]
    s = Value.dot(w, x)
    assert s.data == 1.0 * 0.5 - 2.0 * 4.0 - 3.0
    s.backward()
    assert [v.grad for v in w] == [0.5, 4.0, -1.0]
    assert [v.grad for v in x] == [1.0, -2.0, 3.0]
    total = Value.sum([w[0], w[1], 2.0])
    assert total.data == 1.0 and len(total._children) == 3
    mixed = Value.dot(w, [1.0, 2.0, 3.0])
    assert mixed._children == tuple(w) and mixed._local_grads == (1.0, 2.0, 3.0)
    with pytest.raises(ValueError):
        Value.dot(w, [1.0])


# -- backward ------------------------------------------------------------------------


def test_a_node_used_twice_gets_the_sum():
    a = Value(3.0)
    (a * a).backward()
    assert a.grad == 6.0
    b = Value(-2.0)
    (b + b).backward()
    assert b.grad == 2.0


def test_diamond():
    a = Value(2.0)
    left, right = a * 3, a.exp()
    out = left * right
    out.backward()
    assert a.grad == pytest.approx(3 * math.exp(2) + 6 * math.exp(2))


def test_backward_twice_doubles_the_leaves_like_pytorch():
    a, b, c, f, e, d, L = textbook_example()  # backward() has run once
    L.backward()
    assert (a.grad, b.grad, c.grad, f.grad) == (12.0, -8.0, -4.0, 8.0)
    assert (e.grad, d.grad, L.grad) == (-2.0, -2.0, 1.0)  # computed values hold this pass's grads


def test_gradients_of_two_losses_add_up_in_shared_leaves():
    w = Value(3.0)
    hidden = w * 2.0
    first, second = hidden * hidden, hidden.exp()
    first.backward()
    second.backward()
    assert w.grad == pytest.approx(2 * 6.0 * 2.0 + math.exp(6.0) * 2.0)


def test_zero_grad_resets_the_whole_graph():
    a, b = Value(2.0), Value(-3.0)
    mid = a * b
    out = mid + a
    out.backward()
    zero_grad(out)
    assert [v.grad for v in (a, b, mid, out)] == [0, 0, 0, 0]
    out.backward()
    out.zero_grad()
    assert a.grad == 0


def test_deep_chain_needs_no_recursion():
    x = Value(0.5)
    node = x
    for _ in range(100_000):
        node = node * 1.0 + 0.0
    node.backward()
    assert x.grad == 1.0


def test_order_puts_every_node_before_its_children():
    a, b = Value(1.0), Value(2.0)
    c = a * b
    d = c + a
    e = d * c
    order = reverse_topological_order(e)
    position = {id(v): i for i, v in enumerate(order)}
    assert len(order) == 5 and order[0] is e
    assert all(position[id(v)] < position[id(child)] for v in order for child in v._children)


def test_graphs_hold_no_reference_cycles():
    gc.collect()
    with paused_gc():
        a = Value(1.5)
        out = (a * 2 + a.exp()).log() / a
        out.backward()
        del a, out
        assert gc.collect() == 0  # nothing for the cycle collector to find


def test_paused_gc_restores_the_previous_setting_even_after_an_error():
    assert gc.isenabled()
    with pytest.raises(RuntimeError), paused_gc():
        assert not gc.isenabled()
        raise RuntimeError
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


# -- bad input -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "make,error,words",
    [
        (lambda: Value("3"), TypeError, ["Value()", "str", "'3'"]),
        (lambda: Value(True), TypeError, ["bool"]),
        (lambda: Value(float("nan")), ValueError, ["nan", "finite"]),
        (lambda: Value(float("inf")), ValueError, ["inf", "finite"]),
        (lambda: Value(-1.0).log(), ValueError, ["log", "-1.0", "positive"]),
        (lambda: Value(0.0).log(), ValueError, ["log", "0.0", "positive"]),
        (lambda: Value(0.0) ** -1, ZeroDivisionError, ["**", "0.0", "-1"]),
        (lambda: Value(-8.0) ** 0.5, ValueError, ["**", "-8.0", "0.5", "negative"]),
        (lambda: Value(0.0) ** 0.5, ZeroDivisionError, ["**", "gradient", "0.5"]),
        (lambda: Value(800.0).exp(), OverflowError, ["exp", "800.0"]),
        (lambda: Value(1e308) * 10, OverflowError, ["*", "inf"]),
        (lambda: Value(2.0) ** Value(2.0), TypeError, ["**", "exponent", "Value"]),
        (lambda: 2 ** Value(2.0), TypeError, ["**", "exponent", "Value"]),
        (lambda: Value(2.0) ** "2", TypeError, ["**", "str"]),
        (lambda: Value(1.0) / 0, ZeroDivisionError, ["/", "division by zero"]),
        (lambda: 1 / Value(0.0), ZeroDivisionError, ["/", "division by zero"]),
        (lambda: Value(1.0) + "a", TypeError, ["+", "str"]),
        (lambda: Value(1.0) * None, TypeError, ["*", "NoneType"]),
    ],
)
def test_bad_input_gets_a_clear_error(make, error, words):
    with pytest.raises(error) as caught:
        make()
    message = str(caught.value)
    assert "math domain error" not in message
    for word in words:
        assert word in message


def test_sigmoid_does_not_overflow_at_the_extremes():
    assert Value(-1000.0).sigmoid().data == 0.0
    assert Value(1000.0).sigmoid().data == 1.0
