"""The reference Value: a number that remembers how it was made.

Every operation has the same three beats: turn the other operand into a Value,
compute the result, and store next to each child the local gradient
d(result)/d(child). `backward()` then only multiplies and accumulates.
"""

import gc
import math
from contextlib import contextmanager
from math import isfinite


class Value:
    __slots__ = ("data", "grad", "_children", "_local_grads", "_op", "label")

    def __init__(self, data, children=(), local_grads=(), op="", label=""):
        if type(data) is not float or not isfinite(data):
            data = _checked_data(data, op)
        self.data = data
        self.grad = 0
        self._children = children
        self._local_grads = local_grads
        self._op = op
        self.label = label

    def __repr__(self):
        return f"Value(data={self.data!r}, grad={self.grad!r})"

    # -- primitives: each stores its local gradients ---------------------------

    def __add__(self, other):
        if type(other) is not Value:
            other = _as_value(other, "+")
        return Value(self.data + other.data, (self, other), (1.0, 1.0), "+")

    def __mul__(self, other):
        if type(other) is not Value:
            other = _as_value(other, "*")
        return Value(self.data * other.data, (self, other), (other.data, self.data), "*")

    def __pow__(self, n):
        _check_exponent(n)
        x = self.data
        return Value(_power(x, n), (self,), (_power_slope(x, n),), f"**{n:g}")

    def log(self):
        x = self.data
        if x <= 0:
            raise ValueError(f"log: the input must be positive, got {x!r} (log is only defined for x > 0)")
        return Value(math.log(x), (self,), (1.0 / x,), "log")

    def exp(self):
        x = self.data
        try:
            e = math.exp(x)
        except OverflowError:
            raise OverflowError(f"exp: e ** {x!r} is too large for a float (the largest input is about 709.78)") from None
        return Value(e, (self,), (e,), "exp")

    def relu(self):
        x = self.data
        return Value(x, (self,), (1.0,), "relu") if x > 0 else Value(0.0, (self,), (0.0,), "relu")

    def tanh(self):
        t = math.tanh(self.data)
        return Value(t, (self,), (1.0 - t * t,), "tanh")

    def sigmoid(self):
        s = _sigmoid(self.data)
        return Value(s, (self,), (s * (1.0 - s),), "sigmoid")

    # -- many terms in one node: what nn and the GPT use to keep graphs small --------

    @staticmethod
    def sum(terms):
        """terms[0] + terms[1] + ... as one node; each term's local gradient is 1."""
        terms = tuple(t if type(t) is Value else _as_value(t, "sum") for t in terms)
        return Value(sum(t.data for t in terms), terms, (1.0,) * len(terms), "sum")

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
        return Value(total, tuple(children), tuple(local_grads), "dot")

    # -- sugar: built from the primitives ----------------------------------------

    def __neg__(self):
        return self * -1.0

    def __sub__(self, other):
        return self + (-other)

    def __truediv__(self, other):
        if type(other) is not Value:
            other = _as_value(other, "/")
        if other.data == 0:
            raise ZeroDivisionError(f"/: division by zero ({self.data!r} / 0)")
        return self * other**-1

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def __rsub__(self, other):
        return (-self) + other

    def __rtruediv__(self, other):
        if self.data == 0:
            raise ZeroDivisionError(f"/: division by zero ({other!r} / 0)")
        return self**-1 * other

    def __rpow__(self, base):
        raise TypeError(
            f"**: the exponent must be a plain number, not a Value (got {base!r} ** {self!r}); "
            "for base ** v write (v * math.log(base)).exp()"
        )

    # -- the backward pass --------------------------------------------------------

    def backward(self):
        """Add d(self)/d(leaf) into the .grad of every leaf below self, as PyTorch does.

        Leaves accumulate, so a second call doubles their grads and the gradients of several
        losses add up. Computed values start again from 0 on every call, so their .grad is
        d(self)/d(value) for this pass alone (otherwise a repeated call would more than double
        the leaves below them).
        """
        order = reverse_topological_order(self)
        for node in order:
            if node._children:
                node.grad = 0
        self.grad = 1.0
        for node in order:
            upstream = node.grad
            for child, local in zip(node._children, node._local_grads):
                child.grad += local * upstream

    def zero_grad(self):
        """Set .grad back to 0 on every node of the graph below (and including) self."""
        zero_grad(self)


def reverse_topological_order(root):
    """Every node reachable from root, each one before all of its children.

    An iterative depth-first walk, so a chain of a million nodes needs no recursion limit.
    A None pushed above a node marks the moment its children are all finished.
    """
    order, visited, stack = [], set(), [root]
    while stack:
        node = stack.pop()
        if node is None:
            order.append(stack.pop())
        elif node not in visited:
            visited.add(node)
            stack.append(node)
            stack.append(None)
            for child in node._children:
                if child not in visited:
                    stack.append(child)
    order.reverse()
    return order


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


# -- checks that turn bad input into a clear message -------------------------------


def _is_number(x):
    """An int or a float, but not a bool (True + Value(1) is almost always a mistake)."""
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _checked_data(data, op):
    where = f"{op}: the result" if op else "Value()"
    if not _is_number(data):
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


def _as_value(other, op):
    if isinstance(other, Value):
        return other
    if not _is_number(other):
        raise TypeError(f"{op}: cannot combine a Value with {type(other).__name__} {other!r}")
    return Value(other)


def _check_exponent(n):
    if isinstance(n, Value):
        raise TypeError(
            f"**: the exponent must be a plain number, not a Value (got ** {n!r}); "
            "for a ** b with b a Value write (b * a.log()).exp()"
        )
    if not _is_number(n) or not isfinite(n):
        raise TypeError(f"**: the exponent must be a finite int or float, got {type(n).__name__} {n!r}")


def _power(x, n):
    if x == 0 and n < 0:
        raise ZeroDivisionError(f"**: 0.0 ** {n!r} divides by zero")
    if x < 0 and n != int(n):
        raise ValueError(f"**: a negative base {x!r} with the fractional exponent {n!r} has no real value")
    try:
        return float(x**n)
    except OverflowError:
        raise OverflowError(f"**: {x!r} ** {n!r} is too large for a float") from None


def _power_slope(x, n):
    if n == 0:
        return 0.0
    if x == 0 and n < 1:
        raise ZeroDivisionError(f"**: the gradient of a ** {n!r} at a = 0 is infinite")
    return n * _power(x, n - 1)


def _sigmoid(x):
    # Two forms so that exp never overflows: exp(-x) for x >= 0, exp(x) otherwise.
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)
