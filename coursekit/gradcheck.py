"""The nudge test: measure a gradient by nudging an input, and compare it with backward().

A gradient says how much the output moves per unit the input moves. So move the input a little
(the nudge h), see how far the output went, and divide. The central difference
(f(x+h) - f(x-h)) / 2h cancels the first error term and is what checks use; the one-sided
(f(x+h) - f(x)) / h is what a student does by hand and shows the drift of curved functions.
The operations nudged are those of the table of derivative rules (`coursekit.rules`), at its
samples, and the forms built from them (neg, sub, div and the reflected ones).
"""

import math
from dataclasses import dataclass

from coursekit.engine import Value
from coursekit.rules import RULES


def numerical_grad(f, x, h=1e-6):
    """The slope of the number-to-number function f at x, by central difference."""
    return (f(x + h) - f(x - h)) / (2 * h)


def one_sided_grad(f, x, h=1e-4):
    """The slope of f measured the way one does by hand: nudge x up by h and divide."""
    return (f(x + h) - f(x)) / h


@dataclass(frozen=True)
class GradientCheck:
    input: float
    analytic: float
    numerical: float
    ok: bool


def check_gradients(f, *inputs, h=1e-6, rel_tol=1e-5, abs_tol=1e-7):
    """Build f(*Values) from the numbers in inputs, run backward, and compare each input's grad
    with its central difference. Returns one GradientCheck per input, in order."""
    leaves = [Value(x) for x in inputs]
    f(*leaves).backward()
    return [
        _compare(leaf.grad, numerical_grad(_along(f, inputs, i), x, h), x, rel_tol, abs_tol)
        for i, (leaf, x) in enumerate(zip(leaves, inputs))
    ]


def _along(f, inputs, i):
    """f as a function of input i alone, the others held at their values."""

    def f_i(t):
        return f(*(Value(t) if j == i else Value(x) for j, x in enumerate(inputs))).data

    return f_i


def _compare(analytic, numerical, x, rel_tol, abs_tol):
    ok = math.isclose(analytic, numerical, rel_tol=rel_tol, abs_tol=abs_tol)
    return GradientCheck(x, analytic, numerical, ok)


@dataclass(frozen=True)
class Operation:
    """One row of the nudge table: an expression of one input `a`, nudged at `at`."""

    name: str
    expression: str
    f: object  # Value -> Value
    at: float


def _held(call, others):
    """call with its first input free and the others held at the numbers in `others`."""
    return lambda a: call(a, *map(Value, others))


# Every operation of the table of derivative rules at each of its samples, its first input nudged...
PRIMITIVES = tuple(
    Operation(rule.name, rule.written.format("a", *(f"{x:g}" for x in others)), _held(rule.call, others), at)
    for rule in RULES for at, *others in rule.samples
)
# ... and the forms written with them, which have no rule of their own.
DERIVED = (
    Operation("radd", "3 + a", lambda a: 3 + a, 2.0),
    Operation("rmul", "-3 * a", lambda a: -3 * a, 2.0),
    Operation("neg", "-a", lambda a: -a, 2.0),
    Operation("sub", "a - 3", lambda a: a - 3, 2.0),
    Operation("rsub", "3 - a", lambda a: 3 - a, 2.0),
    Operation("div", "a / 4", lambda a: a / 4, 2.0),
    Operation("rdiv", "6 / a", lambda a: 6 / a, 2.0),
)
OPERATIONS = PRIMITIVES + DERIVED


def curvature(f, x, k=1e-3):
    """f''(x) by the second central difference; it only sizes the drift a one-sided nudge shows."""
    return (f(x + k) - 2 * f(x) + f(x - k)) / (k * k)


@dataclass(frozen=True)
class NudgeRow:
    operation: Operation
    measured: float  # one-sided nudge
    backward: float  # the engine's gradient
    drift: float  # what curvature predicts the nudge overshoots by: h * f''(x) / 2
    ok: bool


def nudge_table(h=1e-4, tol=1e-6):
    """For every operation: the one-sided nudge next to backward()'s gradient.

    They may differ by the drift h * f''/2 of a curved function, and by rounding and the
    next term (of order h**2); anything more means the engine's local gradient is wrong.
    """
    return [_nudge_row(op, h, tol) for op in OPERATIONS]


def _nudge_row(op, h, tol):
    leaf = Value(op.at)
    op.f(leaf).backward()

    def f(t):
        return op.f(Value(t)).data

    measured = one_sided_grad(f, op.at, h)
    drift = h * curvature(f, op.at) / 2
    ok = abs(measured - leaf.grad - drift) <= tol * max(1.0, abs(leaf.grad))
    return NudgeRow(op, measured, leaf.grad, drift, ok)
