"""A constructor with an op name between the children and the local gradients, as in micrograd's lecture:
`Value(data, _children, _op, _local_grads)`; a recursive topological sort in backward()."""
import math


class Value:
    def __init__(self, data, _children=(), _op='', _local_grads=()):
        self.data = data
        self.grad = 0.0
        self._children = tuple(_children)
        self._op = _op
        self._local_grads = tuple(_local_grads)

    def __repr__(self):
        return f"Value(data={self.data}, op={self._op!r})"

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), '+', (1.0, 1.0))

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), '*', (other.data, self.data))

    def __pow__(self, n):
        assert isinstance(n, (int, float)), "only int/float powers"
        return Value(self.data ** n, (self,), f'**{n}', (n * self.data ** (n - 1),))

    def log(self):
        return Value(math.log(self.data), (self,), 'log', (1 / self.data,))

    def exp(self):
        e = math.exp(self.data)
        return Value(e, (self,), 'exp', (e,))

    def relu(self):
        return Value(self.data if self.data > 0 else 0.0, (self,), 'relu', (1.0 if self.data > 0 else 0.0,))

    def __neg__(self):
        return self * -1

    def __radd__(self, other):
        return self + other

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return other + (-self)

    def __rmul__(self, other):
        return self * other

    def __truediv__(self, other):
        return self * other ** -1

    def __rtruediv__(self, other):
        return other * self ** -1

    def backward(self):
        topo = []
        visited = set()

        def build_topo(v):
            if v not in visited:
                visited.add(v)
                for child in v._children:
                    build_topo(child)
                topo.append(v)

        build_topo(self)
        self.grad = 1.0
        for v in reversed(topo):
            for child, g in zip(v._children, v._local_grads):
                child.grad += g * v.grad
