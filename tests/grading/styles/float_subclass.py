"""A subclass of float: the Value is its own number (data is a property), so it prints, compares and
works with math.* like a number. It defines no __rsub__ and no __rtruediv__ of its own."""
import math


class Value(float):
    def __new__(cls, data, children=(), local_grads=()):
        return super().__new__(cls, data)

    def __init__(self, data, children=(), local_grads=()):
        self.grad = 0.0
        self._children = children
        self._local_grads = local_grads

    @property
    def data(self):
        return float(self)

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), (1.0, 1.0))

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), (other.data, self.data))

    def __pow__(self, n):
        return Value(self.data ** n, (self,), (n * self.data ** (n - 1),))

    def log(self):
        return Value(math.log(self), (self,), (1 / self.data,))

    def exp(self):
        return Value(math.exp(self), (self,), (math.exp(self),))

    def relu(self):
        return Value(max(0.0, self.data), (self,), (1.0 if self > 0 else 0.0,))

    def __neg__(self):
        return self * -1

    def __radd__(self, other):
        return self + other

    def __sub__(self, other):
        return self + (-other)

    def __rmul__(self, other):
        return self * other

    def __truediv__(self, other):
        return self * other ** -1

    def backward(self):
        topo, visited, stack = [], set(), [(self, False)]
        while stack:
            node, children_done = stack.pop()
            if children_done:
                topo.append(node)
            elif id(node) not in visited:
                visited.add(id(node))
                stack.append((node, True))
                stack.extend((child, False) for child in node._children)
        self.grad = 1.0
        for node in reversed(topo):
            for child, local_grad in zip(node._children, node._local_grads):
                child.grad += local_grad * node.grad
