"""A scalar Value that remembers how it was made, and backward() to apply the chain rule.

Each operation computes its result and stores, next to each child, the local gradient
d(result)/d(child). backward() then only multiplies and accumulates.
"""

import math


class Value:
    def __init__(self, data, children=(), local_grads=()):
        self.data = data                 # the number
        self.grad = 0                    # d(loss)/d(this), filled by backward()
        self._children = children        # the Values this one was computed from
        self._local_grads = local_grads  # d(this)/d(child), one per child, same order

    def __repr__(self):
        return f"Value(data={self.data}, grad={self.grad})"

    def __add__(self, other):
        # YOUR CODE HERE
        raise NotImplementedError()

    def __mul__(self, other):
        # YOUR CODE HERE
        raise NotImplementedError()

    def __pow__(self, n):
        # YOUR CODE HERE
        raise NotImplementedError()

    def log(self):
        # YOUR CODE HERE
        raise NotImplementedError()

    def exp(self):
        # YOUR CODE HERE
        raise NotImplementedError()

    def relu(self):
        # YOUR CODE HERE
        raise NotImplementedError()

    def __neg__(self):
        # YOUR CODE HERE
        raise NotImplementedError()

    def __radd__(self, other):
        # YOUR CODE HERE
        raise NotImplementedError()

    def __sub__(self, other):
        # YOUR CODE HERE
        raise NotImplementedError()

    def __rsub__(self, other):
        # YOUR CODE HERE
        raise NotImplementedError()

    def __rmul__(self, other):
        # YOUR CODE HERE
        raise NotImplementedError()

    def __truediv__(self, other):
        # YOUR CODE HERE
        raise NotImplementedError()

    def __rtruediv__(self, other):
        # YOUR CODE HERE
        raise NotImplementedError()

    def backward(self):
        # YOUR CODE HERE
        raise NotImplementedError()
