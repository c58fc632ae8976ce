"""The reference Value: a number that remembers how it was made.

Every operation has the same three beats: turn the other operand into a Value,
compute the result, and store next to each child the local gradient
d(result)/d(child). `backward()` then only multiplies and accumulates.

It is also fast: although it checks its input, names its op and can carry a label, it builds
and differentiates graphs at least as fast as the classic twelve-line microGPT Value
(bench/engine.py). The few places written for speed say why.
"""

import gc
import math
from contextlib import contextmanager
from math import isfinite


class Value:
    __slots__ = ("data", "grad", "_children", "_local_grads", "_op")

    def __init__(self, data, children=(), local_grads=(), op="", label=""):
        if type(data) is not float or not isfinite(data):
            data = _checked_data(data, op)
        self.data = data
        self.grad = 0
        self._children = children
        self._local_grads = local_grads
        self._op = op  # what made this value, for drawings ("" for a leaf)
        if label:
            self.label = label

    @property
    def label(self):
        """An optional name for drawings, "" when none was given."""
        return getattr(self._op, "label", "")

    @label.setter
    def label(self, text):
        self._op = _LabelledOp(self._op, text)

    def __repr__(self):
        return f"Value(data={self.data!r}, grad={self.grad!r})"

    # -- primitives: each stores its local gradients ---------------------------

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(_operand(other, "+"))
        return _result(self.data + other.data, (self, other), (1.0, 1.0), "+")

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(_operand(other, "*"))
        return _result(self.data * other.data, (self, other), (other.data, self.data), "*")

    def __pow__(self, n):
        if type(n) is not int and (type(n) is not float or not isfinite(n)):
            _reject_exponent(n)
        x = self.data
        try:
            y, slope = x**n, n * x ** (n - 1)
        except ArithmeticError:  # 0 ** -1, an overflow, or 0 ** 0 (whose slope holds 0 ** -1)
            y = None
        if type(y) is not float:  # also a complex y: a negative base with a fractional exponent
            y, slope = _power_rule(x, n)  # the slow, careful way: says what is wrong
        return _result(y, (self,), (slope,), _POW_OPS.get(n) or f"**{n:g}")

    def log(self):
        x = self.data
        if x <= 0:
            raise ValueError(f"log: the input must be positive, got {x!r} (log is only defined for x > 0)")
        return _result(math.log(x), (self,), (1.0 / x,), "log")

    def exp(self):
        x = self.data
        try:
            e = math.exp(x)
        except OverflowError:
            raise OverflowError(f"exp: e ** {x!r} is too large for a float (the largest input is about 709.78)") from None
        return _result(e, (self,), (e,), "exp")

    def relu(self):
        x = self.data
        return _result(x, (self,), (1.0,), "relu") if x > 0 else _result(0.0, (self,), (0.0,), "relu")

    def tanh(self):
        t = math.tanh(self.data)
        return _result(t, (self,), (1.0 - t * t,), "tanh")

    def sigmoid(self):
        s = _sigmoid(self.data)
        return _result(s, (self,), (s * (1.0 - s),), "sigmoid")

    # -- many terms in one node: what nn and the GPT use to keep graphs small --------

    @staticmethod
    def sum(terms):
        """terms[0] + terms[1] + ... as one node; each term's local gradient is 1."""
        terms = tuple(t if isinstance(t, Value) else Value(_operand(t, "sum")) for t in terms)
        return _result(sum(t.data for t in terms), terms, (1.0,) * len(terms), "sum")

    @staticmethod
    def dot(weights, inputs):
        """w0*x0 + w1*x1 + ... as one node: d/dw = x and d/dx = w. Inputs may be plain numbers."""
        total, children, local_grads = 0.0, [], []
        for w, x in zip(weights, inputs, strict=True):
            if type(x) is Value:
                total += w.data * x.data
                children += (w, x)
                local_grads += (x.data, w.data)
            else:
                total += w.data * x
                children.append(w)
                local_grads.append(x)
        return _result(total, tuple(children), tuple(local_grads), "dot")

    # -- sugar: built from the primitives, as micrograd builds it -----------------

    def __neg__(self):
        return self * -1.0

    def __sub__(self, other):
        return self + (-_operand(other, "-"))

    def __truediv__(self, other):
        other = other if isinstance(other, Value) else Value(_operand(other, "/"))
        if other.data == 0:
            raise ZeroDivisionError(f"/: division by zero ({self.data!r} / 0)")
        return self * other**-1

    # 2 + a and 2 * a build the same node as a + 2 and a * 2. Written as calls, not as aliases, so a
    # subclass that redefines + or * (the grader's known mistakes do) changes the reflected form too.
    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def __rsub__(self, other):
        return (-self) + _operand(other, "-")

    def __rtruediv__(self, other):
        if self.data == 0:
            raise ZeroDivisionError(f"/: division by zero ({_operand(other, '/')!r} / 0)")
        return self**-1 * _operand(other, "/")

    def __rpow__(self, base):
        raise TypeError(
            f"**: the exponent must be a plain number, not a Value (got {base!r} ** {self!r}); "
            "for base ** v write (v * math.log(base)).exp()"
        )

    # -- the backward pass --------------------------------------------------------

    def backward(self):
        """Add d(self)/d(leaf) into the .grad of every leaf below self, as PyTorch does.

        Leaves accumulate, so a second call doubles their grads and the gradients of several
        losses add up; a leaf that is itself the root is no exception (its grad grows by
        d(self)/d(self) = 1 per call). Computed values start again from 0 on every call, so
        their .grad is d(self)/d(value) for this pass alone (otherwise a repeated call would
        more than double the leaves below them).
        """
        computed, _ = _walk(self)
        for node in computed:
            node.grad = 0.0
        self.grad += 1.0
        for node in computed:
            upstream = node.grad
            children, local_grads = node._children, node._local_grads
            # Nodes of one or two children (every op but sum and dot) are spelled out: a third
            # faster than the zip below, and the backward pass is most of a training step.
            if len(children) == 2:
                a, b = children
                da, db = local_grads
                a.grad += da * upstream
                b.grad += db * upstream
            elif len(children) == 1:
                children[0].grad += local_grads[0] * upstream
            else:
                for child, local in zip(children, local_grads):
                    child.grad += local * upstream

    def zero_grad(self):
        """Set .grad back to 0 on every node of the graph below (and including) self."""
        zero_grad(self)


def reverse_topological_order(root):
    """Every node reachable from root, each one before all of its children (leaves last)."""
    computed, leaves = _walk(root)
    return computed + leaves


def _walk(root):
    """The computed values below root in reverse topological order, and the leaves.

    An iterative depth-first walk, so a chain of a million nodes needs no recursion limit.
    A None pushed above a node marks the moment its children are all finished. Leaves come
    apart: having no children, they need no place in the order, and backward() has nothing
    to do for them.
    """
    computed, leaves, visited, stack = [], [], set(), [root]
    while stack:
        node = stack.pop()
        if node is None:
            computed.append(stack.pop())
        elif node not in visited:
            visited.add(node)
            if node._children:
                stack.append(node)
                stack.append(None)
                for child in node._children:
                    if child not in visited:
                        stack.append(child)
            else:
                leaves.append(node)
    computed.reverse()
    return computed, leaves


def zero_grad(root):
    """Reset .grad to 0 on every node reachable from root."""
    for node in reverse_topological_order(root):
        node.grad = 0


@contextmanager
def paused_gc():
    """Pause Python's cyclic garbage collector while a graph is built and differentiated.

    Building a graph allocates hundreds of thousands of small objects, and the cyclic collector
    re-scans all of them over and over (most of the run time on big graphs). That work is wasted
    here: a graph of Values holds no reference cycles (children never point back to their users),
    so reference counting frees every node as soon as nothing uses it. The previous setting is
    restored on exit, also after an exception; nothing changes outside the `with` block.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_new = object.__new__


def _result(data, children, local_grads, op):
    """The Value an op returns: Value(data, children, local_grads, op) without the checks that
    the op's own arithmetic makes needless (a float from floats), save that it be finite.

    Built directly for speed: it saves about a seventh of the time of every node.
    """
    if not isfinite(data):
        raise OverflowError(f"{op}: the result is {data!r}, too large for a float")
    node = _new(Value)
    node.data = data
    node.grad = 0
    node._children = children
    node._local_grads = local_grads
    node._op = op
    return node


class _LabelledOp(str):
    """An op name that also carries the label of its Value.

    Few Values get a label, so the label rides on the op name instead of taking a slot of
    every Value: a slot costs a write and 8 bytes on each of the ~100,000 nodes of a
    training step.
    """

    def __new__(cls, op, label):
        name = super().__new__(cls, op)
        name.label = label
        return name


_POW_OPS = {n: f"**{n:g}" for n in (-2, -1, -0.5, 0.5, 2, 3)}  # the usual exponents, named once


# -- checks that turn bad input into a clear message -------------------------------


def _checked_data(data, op):
    """data as a finite float, or the reason it cannot be one (the slow path of Value())."""
    where = f"{op}: the result" if op else "Value()"
    if type(data) is not int and type(data) is not float:  # a bool is no number here
        raise TypeError(f"Value() needs a real number (int or float), got {type(data).__name__} {data!r}")
    try:
        data = float(data)
    except OverflowError:
        raise OverflowError(f"{where} {data} is too large for a float") from None
    if not isfinite(data):
        if op:
            raise OverflowError(f"{op}: the result is {data!r}, too large for a float")
        raise ValueError(f"Value() got {data!r}; a Value must hold a finite number")
    return data


def _operand(x, op):
    """x itself if it is a Value or a plain number, else a TypeError naming the op.

    A bool is no plain number here: True + Value(1) is almost always a mistake.
    """
    if type(x) is float or type(x) is int or isinstance(x, Value):
        return x
    raise TypeError(f"{op}: cannot combine a Value with {type(x).__name__} {x!r}")


def _reject_exponent(n):
    if isinstance(n, Value):
        raise TypeError(
            f"**: the exponent must be a plain number, not a Value (got ** {n!r}); "
            "for a ** b with b a Value write (b * a.log()).exp()"
        )
    raise TypeError(f"**: the exponent must be a finite int or float, got {type(n).__name__} {n!r}")


def _power_rule(x, n):
    """(x ** n, n * x ** (n - 1)) where the fast path in __pow__ failed, or why there is none."""
    if x == 0 and n < 0:
        raise ZeroDivisionError(f"**: 0.0 ** {n!r} divides by zero")
    if x < 0 and n != int(n):
        raise ValueError(f"**: a negative base {x!r} with the fractional exponent {n!r} has no real value")
    if n == 0:
        return 1.0, 0.0
    if x == 0 and n < 1:
        raise ZeroDivisionError(f"**: the gradient of a ** {n!r} at a = 0 is infinite")
    raise OverflowError(f"**: {x!r} ** {n!r} is too large for a float")


def _sigmoid(x):
    # Two forms so that exp never overflows: exp(-x) for x >= 0, exp(x) otherwise.
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)
