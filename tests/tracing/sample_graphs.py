"""Two Value classes that are not coursekit's, as source text: the unit tests exec them and the
notebook tests paste them into cells, so %%trace is checked on exactly what a student would write;
and a few graphs of coursekit's own Value that several test modules draw."""

from coursekit import Value

STUDENT_VALUE = '''
class StudentValue:
    """microGPT style: local gradients stored at forward time, no op names, no labels."""

    def __init__(self, data, children=(), local_grads=()):
        self.data = data
        self.grad = 0
        self._children = children
        self._local_grads = local_grads

    def __add__(self, other):
        other = other if isinstance(other, StudentValue) else StudentValue(other)
        return StudentValue(self.data + other.data, (self, other), (1, 1))

    def __mul__(self, other):
        other = other if isinstance(other, StudentValue) else StudentValue(other)
        return StudentValue(self.data * other.data, (self, other), (other.data, self.data))

    def backward(self):
        order, seen = [], set()
        def visit(v):
            if v not in seen:
                seen.add(v)
                for child in v._children:
                    visit(child)
                order.append(v)
        visit(self)
        self.grad = 1
        for v in reversed(order):
            for child, local in zip(v._children, v._local_grads):
                child.grad += local * v.grad
'''

MICROGRAD_VALUE = '''
import math

class MicroValue:
    """micrograd style: children in a set `_prev`, an op name in `_op`, rules inside closures."""

    def __init__(self, data, _children=(), _op="", label=""):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = set(_children)
        self._op = _op
        self.label = label

    def __add__(self, other):
        other = other if isinstance(other, MicroValue) else MicroValue(other)
        out = MicroValue(self.data + other.data, (self, other), "+")
        def _backward():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, MicroValue) else MicroValue(other)
        out = MicroValue(self.data * other.data, (self, other), "*")
        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def tanh(self):
        t = math.tanh(self.data)
        out = MicroValue(t, (self,), "tanh")
        def _backward():
            self.grad += (1 - t**2) * out.grad
        out._backward = _backward
        return out

    def backward(self):
        topo, visited = [], set()
        def build(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build(child)
                topo.append(v)
        build(self)
        self.grad = 1.0
        for v in reversed(topo):
            v._backward()
'''

MICROGPT_VALUE = '''
import math

class GptValue:
    """microGPT's Value: __slots__, local gradients stored, derived ops built from primitives."""

    __slots__ = ("data", "grad", "_children", "_local_grads")

    def __init__(self, data, children=(), local_grads=()):
        self.data = data
        self.grad = 0
        self._children = children
        self._local_grads = local_grads

    def __add__(self, other):
        other = other if isinstance(other, GptValue) else GptValue(other)
        return GptValue(self.data + other.data, (self, other), (1, 1))

    def __mul__(self, other):
        other = other if isinstance(other, GptValue) else GptValue(other)
        return GptValue(self.data * other.data, (self, other), (other.data, self.data))

    def __pow__(self, other):
        return GptValue(self.data**other, (self,), (other * self.data**(other - 1),))

    def log(self):
        return GptValue(math.log(self.data), (self,), (1 / self.data,))

    def exp(self):
        return GptValue(math.exp(self.data), (self,), (math.exp(self.data),))

    def relu(self):
        return GptValue(max(0, self.data), (self,), (float(self.data > 0),))

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
'''

NO_BACKWARD_VALUE = '''
class Bare:
    """Just enough to be drawn: data and children, no grad and no backward()."""

    def __init__(self, data, children=()):
        self.data = data
        self._children = children

    def __add__(self, other):
        return Bare(self.data + other.data, (self, other))
'''


def load(source):
    namespace = {}
    exec(source, namespace)
    return namespace


def textbook(cls=Value):
    a, b, c, f = cls(2.0), cls(-3.0), cls(10.0), cls(-2.0)
    e = a * b
    d = e + c
    L = d * f
    return dict(a=a, b=b, c=c, f=f, e=e, d=d, L=L)


def names_of(values):
    return {id(v): name for name, v in values.items()}


def neuron_layer(inputs, neurons):
    xs = [Value(0.01 * i) for i in range(inputs)]
    layer = [sum((Value(0.5) * x for x in xs), Value(0.0)).tanh() for _ in range(neurons)]
    return sum(layer)
