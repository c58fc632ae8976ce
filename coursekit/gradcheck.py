"""The nudge test: measure a gradient by nudging an input, and compare it with backward().

A gradient says how much the output moves per unit the input moves. So move the input a little
(the nudge h), see how far the output went, and divide. The central difference
(f(x+h) - f(x-h)) / 2h cancels the first error term and is what checks use; the one-sided
(f(x+h) - f(x)) / h is what a student does by hand and shows the drift of curved functions.
"""

import math
from dataclasses import dataclass

from coursekit.engine import Value


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
    """One row of the nudge table: an expression of one input, and its curvature f''."""

    name: str
    expression: str
    f: object
    at: float
    curvature: object


OPERATIONS = (
    Operation("add", "a + 3", lambda a: a + 3, 2.0, lambda a: 0.0),
    Operation("radd", "3 + a", lambda a: 3 + a, 2.0, lambda a: 0.0),
    Operation("mul", "a * -3", lambda a: a * -3, 2.0, lambda a: 0.0),
    Operation("rmul", "-3 * a", lambda a: -3 * a, 2.0, lambda a: 0.0),
    Operation("pow", "a ** 3", lambda a: a**3, 2.0, lambda a: 6 * a),
    Operation("pow", "a ** -1", lambda a: a**-1, 2.0, lambda a: 2 * a**-3),
    Operation("pow", "a ** 0.5", lambda a: a**0.5, 4.0, lambda a: -0.25 * a**-1.5),
    Operation("log", "a.log()", lambda a: a.log(), 2.0, lambda a: -(a**-2)),
    Operation("exp", "a.exp()", lambda a: a.exp(), 1.0, math.exp),
    Operation("relu", "a.relu()", lambda a: a.relu(), 2.0, lambda a: 0.0),
    Operation("relu", "a.relu()", lambda a: a.relu(), -1.0, lambda a: 0.0),
    Operation("tanh", "a.tanh()", lambda a: a.tanh(), 0.5, lambda a: -2 * math.tanh(a) * (1 - math.tanh(a) ** 2)),
    Operation("sigmoid", "a.sigmoid()", lambda a: a.sigmoid(), 0.5, lambda a: _sigmoid_curvature(a)),
    Operation("neg", "-a", lambda a: -a, 2.0, lambda a: 0.0),
    Operation("sub", "a - 3", lambda a: a - 3, 2.0, lambda a: 0.0),
    Operation("rsub", "3 - a", lambda a: 3 - a, 2.0, lambda a: 0.0),
    Operation("div", "a / 4", lambda a: a / 4, 2.0, lambda a: 0.0),
    Operation("rdiv", "6 / a", lambda a: 6 / a, 2.0, lambda a: 12 * a**-3),
)


def _sigmoid_curvature(a):
    s = 1 / (1 + math.exp(-a))
    return s * (1 - s) * (1 - 2 * s)


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
    measured = one_sided_grad(lambda t: op.f(Value(t)).data, op.at, h)
    drift = h * op.curvature(op.at) / 2
    ok = abs(measured - leaf.grad - drift) <= tol * max(1.0, abs(leaf.grad))
    return NudgeRow(op, measured, leaf.grad, drift, ok)
