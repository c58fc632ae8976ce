"""Local gradients in a dict keyed by child, `{child: local_grad}`, and backward() walking its items:
a node that uses one child twice (a + a) keeps one entry for it."""

import math


class Value:
    def __init__(self, data, children=(), local_grads=()):
        self.data = data                 # the number
        self.grad = 0                    # d(loss)/d(this), filled by backward()
        self._children = children        # the Values this one was computed from
        self._local_grads = dict(zip(children, local_grads))  # child -> d(this)/d(child)

    def __repr__(self):
        return f"Value(data={self.data}, grad={self.grad})"

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), (1, 1))

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), (other.data, self.data))

    def __pow__(self, n):
        return Value(self.data**n, (self,), (n * self.data ** (n - 1),))

    def log(self):
        return Value(math.log(self.data), (self,), (1 / self.data,))

    def exp(self):
        e = math.exp(self.data)
        return Value(e, (self,), (e,))

    def relu(self):
        return Value(max(0, self.data), (self,), (float(self.data > 0),))

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
        # Order the graph so that every node comes after all the nodes it was built from,
        # with an explicit stack: a chain of a million nodes would overflow a recursive walk.
        topo, visited, stack = [], set(), [(self, False)]
        while stack:
            node, children_done = stack.pop()
            if children_done:
                topo.append(node)
            elif node not in visited:
                visited.add(node)
                stack.append((node, True))
                stack.extend((child, False) for child in node._children)
        # Walk it backwards: a node's grad is complete before it is passed on.
        self.grad = 1
        for node in reversed(topo):
            for child, local_grad in node._local_grads.items():
                child.grad += local_grad * node.grad
