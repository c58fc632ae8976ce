"""Local gradients kept in lists, children too: `Value(x, [a, b], [1.0, 1.0])`."""
import math


class Value:
    def __init__(self, data, children=None, local_grads=None):
        self.data = data
        self.grad = 0.0
        self._children = list(children) if children else []
        self._local_grads = list(local_grads) if local_grads else []

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, [self, other], [1.0, 1.0])

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, [self, other], [other.data, self.data])

    def __pow__(self, n):
        return Value(self.data**n, [self], [n * self.data ** (n - 1)])

    def log(self):
        return Value(math.log(self.data), [self], [1 / self.data])

    def exp(self):
        out = math.exp(self.data)
        return Value(out, [self], [out])

    def relu(self):
        return Value(max(0.0, self.data), [self], [1.0 if self.data > 0 else 0.0])

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
        return self * other**-1

    def __rtruediv__(self, other):
        return other * self**-1

    def backward(self):
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, done = stack.pop()
            if done:
                order.append(node)
            elif node not in seen:
                seen.add(node)
                stack.append((node, True))
                stack.extend((child, False) for child in node._children)
        self.grad = 1.0
        for node in reversed(order):
            for child, local in zip(node._children, node._local_grads):
                child.grad += local * node.grad
