"""Value classes as students and other courses write them, as source text pasted into notebook
cells: each is drawn by %%trace in tests/tracing/test_trace_real_classes.py."""

# local gradients as bare floats for one-child ops, a keyword-only constructor, a backward() with
# a recursive topological sort
FLOAT_LOCALS = '''
import math

class Scalar:
    def __init__(self, data, *, children=(), local_grads=(), label=""):
        self.data = float(data)
        self.grad = 0.0
        self._children = children
        self._local_grads = local_grads
        self.label = label

    def __add__(self, other):
        other = other if isinstance(other, Scalar) else Scalar(other)
        return Scalar(self.data + other.data, children=(self, other), local_grads=(1.0, 1.0))

    def __mul__(self, other):
        other = other if isinstance(other, Scalar) else Scalar(other)
        return Scalar(self.data * other.data, children=(self, other), local_grads=(other.data, self.data))

    def exp(self):
        e = math.exp(self.data)
        return Scalar(e, children=(self,), local_grads=e)  # one child: the local gradient alone

    def relu(self):
        return Scalar(max(0.0, self.data), children=(self,), local_grads=float(self.data > 0))

    def backward(self):
        def topo(v, seen, order):
            if id(v) in seen:
                return order
            seen.add(id(v))
            for c in v._children:
                topo(c, seen, order)
            order.append(v)
            return order
        self.grad = 1.0
        for v in reversed(topo(self, set(), [])):
            locals_ = v._local_grads if isinstance(v._local_grads, tuple) else (v._local_grads,)
            for c, g in zip(v._children, locals_):
                c.grad += g * v.grad
'''

# lists everywhere, and the local gradients are Values (so a second derivative could be taken)
LIST_LOCALS = '''
class Var:
    def __init__(self, value, parents=None, grads=None):
        self.data = value
        self.grad = 0
        self._children = list(parents or [])
        self._local_grads = list(grads or [])

    def __mul__(self, other):
        return Var(self.data * other.data, [self, other], [other, self])

    def __add__(self, other):
        return Var(self.data + other.data, [self, other], [Var(1), Var(1)])

    def backward(self):
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            v, done = stack.pop()
            if done:
                order.append(v)
            elif id(v) not in seen:
                seen.add(id(v))
                stack.append((v, True))
                stack.extend((c, False) for c in v._children)
        self.grad = 1
        for v in reversed(order):
            for c, g in zip(v._children, v._local_grads):
                c.grad += g.data * v.grad
'''

# micrograd style with a bug in one closure: the grad of `*` multiplies by a Value, not its data
BROKEN_MUL = '''
class Val:
    def __init__(self, data, _children=(), _op=""):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = set(_children)
        self._op = _op

    def __add__(self, other):
        out = Val(self.data + other.data, (self, other), "+")
        def _backward():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        out = Val(self.data * other.data, (self, other), "*")
        def _backward():
            self.grad += other * out.grad
            other.grad += self * out.grad
        out._backward = _backward
        return out

    def backward(self):
        topo, visited = [], set()
        def build_topo(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build_topo(child)
                topo.append(v)
        build_topo(self)
        self.grad = 1.0
        for node in reversed(topo):
            node._backward()
'''

# the children under names of its own: nothing %%trace can follow
OTHER_NAMES = '''
class Node:
    def __init__(self, data, parents=(), backward_fn=None):
        self.data = data
        self.grad = 0.0
        self.parents = parents
        self.backward_fn = backward_fn

    def __mul__(self, other):
        return Node(self.data * other.data, (self, other))
'''

# `+=` done in place: the value becomes one of its own inputs (a cycle), and a label that is a
# property which fails until it is set
IN_PLACE = '''
class Acc:
    def __init__(self, data, children=(), local_grads=()):
        self.data = data
        self.grad = 0
        self._children = children
        self._local_grads = local_grads
        self._name = None

    @property
    def label(self):
        return "value " + self._name  # TypeError until a name is set

    def __add__(self, other):
        return Acc(self.data + other.data, (self, other), (1, 1))

    def __iadd__(self, other):
        self.data += other.data
        self._children = (self, other)
        self._local_grads = (1, 1)
        return self
'''
