"""The table of derivative rules against the engine, and both against central differences.

coursekit's engine spells its operations out for speed and does not read the table, so this is
what keeps the two from drifting apart: every op the engine names has a rule, and on every rule's
samples (and on random points) the engine records the rule's op tag, result and local gradients.
The independent oracle is a central difference of the rule's forward function.
"""

import math
import re
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import coursekit.engine
from coursekit import Value
from coursekit.rules import ADD, DOT, MUL, RULES, SUM, local_grads_by_name, power, recognise, rule_named

CASES = [pytest.param(rule, sample, id=f"{rule.op} at {sample}") for rule in RULES for sample in rule.samples]


def engine_node(rule, xs):
    return rule.call(*map(Value, xs))


def central_difference(f, xs, i, h=1e-6):
    up, down = list(xs), list(xs)
    up[i] += h
    down[i] -= h
    return (f(*up) - f(*down)) / (2 * h)


def test_every_op_the_engine_names_has_a_rule():
    source = Path(coursekit.engine.__file__).read_text()
    named = set(re.findall(r'_result\(.*"([^"{]+)"\)$', source, re.MULTILINE))  # the powers are formatted
    assert named == {"+", "*", "log", "exp", "relu", "tanh", "sigmoid", "sum", "dot"}
    assert named <= {rule.op for rule in RULES}
    assert (Value(2.0) ** 3)._op == power(3).op and (Value(4.0) ** 0.5)._op == power(0.5).op == "**0.5"


@pytest.mark.parametrize("rule, xs", CASES)
def test_the_engine_records_the_rule(rule, xs):
    node = engine_node(rule, xs)
    assert node._op == rule.op
    assert node.data == pytest.approx(rule.forward(*xs), rel=1e-12)
    assert list(node._local_grads) == pytest.approx(list(rule.local_grads(node.data, *xs)), rel=1e-12)


@pytest.mark.parametrize("rule, xs", CASES)
def test_each_local_gradient_is_the_slope_of_the_forward_function(rule, xs):
    slopes = rule.local_grads(rule.forward(*xs), *xs)
    assert len(slopes) == len(xs)
    for i, slope in enumerate(slopes):
        assert slope == pytest.approx(central_difference(rule.forward, xs, i), rel=1e-6, abs=1e-8), (rule.op, i)


@pytest.mark.parametrize("rule, xs", CASES)
def test_the_rule_is_recognised_from_the_engines_numbers(rule, xs):
    node = engine_node(rule, xs)
    assert recognise(node.data, list(xs), list(node._local_grads)).op == rule.op
    assert rule_named(node._op).op == rule.op
    assert local_grads_by_name(node._op, node.data, list(xs)) == pytest.approx(list(node._local_grads), rel=1e-12)


UNARY = [rule for rule in RULES if rule.arity == 1]
numbers = st.floats(min_value=-4, max_value=4, allow_nan=False).filter(lambda x: abs(x) > 1e-3)


@settings(deadline=None, max_examples=150)
@given(rule=st.sampled_from(UNARY + [ADD, MUL]), xs=st.lists(numbers, min_size=2, max_size=2))
def test_engine_and_table_agree_anywhere_the_op_is_defined(rule, xs):
    xs = xs[: rule.arity]
    try:
        expected = rule.forward(*xs)
    except (ValueError, ArithmeticError):  # outside the domain (log of a negative number)
        assume(False)
    assume(not isinstance(expected, complex))  # a negative number to the power 0.5
    node = engine_node(rule, xs)
    assert node.data == pytest.approx(expected, rel=1e-12)
    assert list(node._local_grads) == pytest.approx(list(rule.local_grads(node.data, *xs)), rel=1e-12)
    for i, slope in enumerate(node._local_grads):
        if rule.op != "relu" or abs(xs[0]) > 1e-5:  # no slope to measure at relu's kink
            assert slope == pytest.approx(central_difference(rule.forward, xs, i), rel=1e-5, abs=1e-6)


def test_an_exponent_is_recognised_from_its_local_gradient():
    x, n = 1.7, 2.5
    assert recognise(x**n, [x], [n * x ** (n - 1)]).op == "**2.5"
    assert recognise(x**-1, [x], [-(x**-2)]).op == "**-1"


def test_numbers_that_fit_no_rule_are_not_recognised():
    assert recognise(5.0, [1.0, 2.0], [1.0, 1.0]) is None  # the locals of + but not its data
    assert recognise(math.sin(1.0), [1.0], [math.cos(1.0)]) is None  # sin is no op of the course
    assert recognise(3.0, [1.0, 2.0, 3.0], [2.0, 1.0, 4.0]) is None  # an odd number of children is no dot
    assert recognise(1.0, [1.0, 2.0, -1.0], [1.0, 1.0, 1.0]) is None


def test_many_children_are_a_sum_or_a_dot_product():
    assert recognise(3.0, [1.0, 2.5, -0.5], [1.0, 1.0, 1.0]) is SUM
    assert recognise(0.5 * 2 + -1.0 * 3, [0.5, 2.0, -1.0, 3.0], [2.0, 0.5, 3.0, -1.0]) is DOT


def test_a_child_micrograd_lists_once_but_uses_twice_gets_both_slopes():
    # micrograd keeps children in a set: a * a and a + a have one child
    assert local_grads_by_name("*", 9.0, [3.0]) == [6.0]
    assert local_grads_by_name("+", 6.0, [3.0]) == [2.0]
    assert local_grads_by_name("ReLU", 0.0, [-1.0]) == [0.0]  # micrograd's spelling
    assert local_grads_by_name("**2", 9.0, [3.0]) == [6.0]


def test_no_slope_where_the_op_names_none():
    assert local_grads_by_name("sin", 0.0, [0.0]) is None
    assert local_grads_by_name("log", -math.inf, [0.0]) is None  # 1/0
    assert local_grads_by_name("**x", 1.0, [1.0]) is None
    assert local_grads_by_name("+", None, [1.0, 2.0]) is None
