"""The derivative rule of every operation, written once.

A rule says, for one operation of the engine: how many children it has, the number it computes
from its children's numbers, and its local gradients d(result)/d(child) from the children and the
result. Three readers take it from here:

- %%trace names what a class without op names computed, by finding the rule whose numbers match
  (`recognise`: `+` has locals (1, 1) and data a + b, `*` has locals (b, a), `exp` has local = data);
- %%trace works out local gradients for classes that keep them inside closures (micrograd), from
  the op name and the data (`local_grads_by_name`);
- gradcheck nudges every rule at its sample inputs.

tests/engine/test_rules.py checks that coursekit's engine computes exactly these numbers and
that each local gradient matches a central difference of the rule's own forward function. The
engine does not read the table: its operations stay spelled out, one screen, as fast as before.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """One operation: `forward(*xs)` is the result, `local_grads(out, *xs)` its slopes per child."""

    name: str  # what the course calls it: add, mul, pow, ...
    op: str  # the tag coursekit's Value gives the result: "+", "*", "**2", "log", ...
    arity: int | None  # children; None for any number of them
    forward: Callable  # children's numbers -> the result
    local_grads: Callable  # (result, *children's numbers) -> one slope per child
    call: Callable  # children (Values of any class) -> the result, as a Value computes it
    written: str  # the same as text, {0}, {1}, ... standing for the children
    samples: tuple  # children's numbers to check it at: where it is defined, away from kinks


def power(n):
    """The rule of x ** n for a plain number n, tagged `**n` (`**2`, `**-1`, `**0.5`)."""
    return Rule("pow", f"**{n:g}", 1, lambda x: x**n, lambda out, x: (n * x ** (n - 1),), lambda a: a**n,
                f"{{0}} ** {n:g}", ((4.0,) if n != int(n) else (2.0,),))


def _sigmoid(x):
    return 1.0 / (1.0 + math.exp(-x))


def _dot(*xs):
    return sum(w * x for w, x in zip(xs[::2], xs[1::2]))


def _swapped_pairs(out, *xs):
    """d(w0*x0 + w1*x1 + ...)/d(w0, x0, w1, x1, ...) = (x0, w0, x1, w1, ...)."""
    return tuple(xs[i + 1 if i % 2 == 0 else i - 1] for i in range(len(xs)))


ADD = Rule("add", "+", 2, lambda a, b: a + b, lambda out, a, b: (1.0, 1.0), lambda a, b: a + b, "{0} + {1}",
           ((2.0, 3.0),))
MUL = Rule("mul", "*", 2, lambda a, b: a * b, lambda out, a, b: (b, a), lambda a, b: a * b, "{0} * {1}", ((2.0, -3.0),))
LOG = Rule("log", "log", 1, math.log, lambda out, x: (1.0 / x,), lambda a: a.log(), "{0}.log()", ((2.0,),))
EXP = Rule("exp", "exp", 1, math.exp, lambda out, x: (out,), lambda a: a.exp(), "{0}.exp()", ((1.0,),))
RELU = Rule("relu", "relu", 1, lambda x: max(x, 0.0), lambda out, x: (1.0 if x > 0 else 0.0,), lambda a: a.relu(),
            "{0}.relu()", ((2.0,), (-1.0,)))
TANH = Rule("tanh", "tanh", 1, math.tanh, lambda out, x: (1.0 - out * out,), lambda a: a.tanh(), "{0}.tanh()", ((0.5,),))
SIGMOID = Rule("sigmoid", "sigmoid", 1, _sigmoid, lambda out, x: (out * (1.0 - out),), lambda a: a.sigmoid(),
               "{0}.sigmoid()", ((0.5,),))
# coursekit's many-term nodes (nn and the GPT build with them); a student's class has none
SUM = Rule("sum", "sum", None, lambda *xs: sum(xs), lambda out, *xs: (1.0,) * len(xs), lambda *xs: type(xs[0]).sum(xs),
           "Value.sum([{0}, {1}, {2}])", ((1.0, -2.0, 0.5),))
DOT = Rule("dot", "dot", None, _dot, _swapped_pairs, lambda *xs: type(xs[0]).dot(xs[::2], xs[1::2]),
           "Value.dot([{0}, {2}], [{1}, {3}])", ((0.5, 2.0, -1.0, 3.0),))

POWERS = (3, -1, 0.5)  # the exponents gradcheck and the engine's test try
RULES = (ADD, MUL, *(power(n) for n in POWERS), LOG, EXP, RELU, TANH, SIGMOID, SUM, DOT)
_BY_OP = {rule.op: rule for rule in RULES if not rule.op.startswith("**")}
# Tried in this order, by the number of children (sum and dot above two, where + and * cannot be);
# relu before the powers, as x ** 1 equals it for x > 0.
_UNARY = (EXP, LOG, TANH, SIGMOID, RELU)
_BINARY = (ADD, MUL)
_ANY = (SUM, DOT)
_USUAL_POWERS = (-2, -1, -0.5, 0.5, 1, 2, 3, 4)


def close(x, y):
    return math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12)


def rule_named(op):
    """The rule for an op tag (`+`, `**2`, `tanh`; micrograd's `ReLU` too), or None."""
    if not isinstance(op, str):
        return None
    if op.startswith("**"):
        try:
            return power(float(op[2:]))
        except ValueError:
            return None
    return _BY_OP.get(op) or _BY_OP.get(op.lower())


def local_grads_by_name(op, out, xs):
    """d(out)/d(x) for each child number, by the rule the op tag names; None when there is none.

    micrograd keeps its children in a set, so a * a has one child: a binary rule then gives the sum
    of its two slopes (2a for a * a, 2 for a + a), the slope of the one child used twice.
    """
    rule = rule_named(op)
    if rule is None or out is None or None in xs:
        return None
    try:
        if rule.arity is None or rule.arity == len(xs):
            return list(rule.local_grads(out, *xs))
        if rule.arity == 2 and len(xs) == 1:
            return [sum(rule.local_grads(out, xs[0], xs[0]))]
    except ArithmeticError:  # log 0, 0 ** -1: no slope to draw
        return None
    return None


def recognise(out, xs, locals_):
    """The rule whose result and local gradients for children `xs` are `out` and `locals_`, or None."""
    if len(xs) != len(locals_) or not xs:
        return None
    for rule in {1: _UNARY, 2: _BINARY}.get(len(xs), _ANY):
        if _matches(rule, out, xs, locals_):
            return rule
    return _power(out, xs[0], locals_[0]) if len(xs) == 1 else None


def _matches(rule, out, xs, locals_):
    if rule is DOT and len(xs) % 2:
        return False
    try:
        return close(out, rule.forward(*xs)) and all(map(close, locals_, rule.local_grads(out, *xs)))
    except (ArithmeticError, ValueError, TypeError):  # outside the rule's domain: not this rule
        return False


def _power(out, x, local):
    """x ** n with out = xⁿ and local = n·xⁿ⁻¹: n tried as local·x/out, then the usual powers."""
    guesses = [local * x / out] if out and x else []
    for n in guesses + list(_USUAL_POWERS):
        if _matches(power(n), out, (x,), (local,)):
            return power(round(n, 6))
    return None
