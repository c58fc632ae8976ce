import math


class Value:
    def __init__(self, data, _children=(), _local_grads=()):
        self.data = data
        self.grad = 0.0
        self._children = tuple(_children)
        self._local_grads = tuple(_local_grads)

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, [other, self], [1, 1])

    def __radd__(self, other):
        return self + other

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), (other, self))

    def __rmul__(self, other):
        return self * other

    def __pow__(self, n):
        return Value(self.data**n, (self,), (n * self.data ** n,))

    def log(self):
        return Value(math.log(self.data), (self,), (self.data,))

    def exp(self):
        return Value(math.exp(self.data), (self,), (self.data,))

    def relu(self):
        return Value(self.data * (self.data > 0), (self,), ((self.data > 0) * 1.0,))

    def __neg__(self):
        return Value(-self.data, (self,), (-1.0,))

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return other + (-self)

    def __truediv__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data / other.data, (self, other), (1 / other.data, -self.data / other.data ** 2))

    def __rtruediv__(self, other):
        return Value(other) / self

    def backward(self):
        self.grad = 1.0
        seen = set()
        order = []
        stack = [self]
        while stack:
            node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            order.append(node)
            stack.extend(node._children)
        for node in order:  # not a topological order
            for child, local in zip(node._children, node._local_grads):
                child.grad += local * node.grad
