"""Engine benchmark: coursekit's Value against a straightforward microGPT-style Value.

Workload: an MLP(3, [16, 16, 1]) over 50 samples, forward + backward of the summed squared error,
built from scratch each round (as a training step does). Also: bytes per op node (tracemalloc)
and the backward pass of a chain of a million nodes.

Run: `make bench` or `python bench/engine.py`.
"""

import gc
import math
import random
import time
import tracemalloc

from coursekit import Value, paused_gc
from coursekit.nn import MLP


class BaselineValue:
    """The single-file microGPT Value: slots, local grads at forward time, recursive topo sort."""

    __slots__ = ("data", "grad", "_children", "_local_grads")

    def __init__(self, data, children=(), local_grads=()):
        self.data = data
        self.grad = 0
        self._children = children
        self._local_grads = local_grads

    def __add__(self, other):
        other = other if isinstance(other, BaselineValue) else BaselineValue(other)
        return BaselineValue(self.data + other.data, (self, other), (1, 1))

    def __mul__(self, other):
        other = other if isinstance(other, BaselineValue) else BaselineValue(other)
        return BaselineValue(self.data * other.data, (self, other), (other.data, self.data))

    def __pow__(self, n):
        return BaselineValue(self.data**n, (self,), (n * self.data ** (n - 1),))

    def log(self):
        return BaselineValue(math.log(self.data), (self,), (1 / self.data,))

    def exp(self):
        return BaselineValue(math.exp(self.data), (self,), (math.exp(self.data),))

    def relu(self):
        return BaselineValue(max(0, self.data), (self,), (float(self.data > 0),))

    def __neg__(self):
        return self * -1

    def __truediv__(self, other):
        return self * other**-1

    def __radd__(self, other):
        return self + other

    def __sub__(self, other):
        return self + (-1 * other)

    def __rmul__(self, other):
        return self * other

    def backward(self):
        topo, visited = [], set()

        def build_topo(v):
            if v not in visited:
                visited.add(v)
                for child in v._children:
                    build_topo(child)
                topo.append(v)

        build_topo(self)
        self.grad = 1
        for v in reversed(topo):
            for child, local_grad in zip(v._children, v._local_grads):
                child.grad += local_grad * v.grad


def make_mlp(value_class, sizes, rng):
    """Weights as nested lists: layers of neurons of (weights, bias)."""
    return [
        [([value_class(rng.uniform(-1, 1)) for _ in range(nin)], value_class(0.0)) for _ in range(nout)]
        for nin, nout in zip(sizes, sizes[1:])
    ]


def chain_forward(mlp, x):
    """The straightforward MLP of the microGPT style: each neuron a chain of + and *."""
    for i, layer in enumerate(mlp):
        linear = i == len(mlp) - 1
        x = [_chain_neuron(w, b, x, linear) for w, b in layer]
    return x[0]


def _chain_neuron(w, b, x, linear):
    act = b
    for wi, xi in zip(w, x):
        act = act + wi * xi
    return act if linear else act.relu()


def squared_error(forward, model, samples):
    loss = 0
    for x, y in samples:
        error = forward(model, x) - y
        loss = loss + error * error
    loss.backward()
    return loss.data


def nn_forward(model, x):
    return model(x)


def nn_model(chain_mlp):
    """coursekit.nn.MLP with the same weights as a chain MLP."""
    model = MLP(3, [16, 16, 1])
    for layer, chain_layer in zip(model.layers, chain_mlp):
        for neuron, (w, b) in zip(layer.neurons, chain_layer):
            neuron.w, neuron.b = w, b
    return model


def best_time(fn, rounds, clock=time.process_time):
    """The fastest of `rounds` runs, each starting from a freshly collected heap so that every
    engine meets the collector alike. CPU seconds of this process by default (steadier than wall
    time on a shared machine); pass clock=time.perf_counter for work done in other processes."""
    best = float("inf")
    for _ in range(rounds):
        gc.collect()
        start = clock()
        fn()
        best = min(best, clock() - start)
    return best


def bytes_per_node(value_class, n=20_000):
    gc.collect()
    a, b = value_class(1.5), value_class(0.5)
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    nodes = [a * b for _ in range(n)]
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del nodes
    return (after - before - 8 * n) / n  # the list holding them is not the nodes' cost


def chain_backward_seconds(n=1_000_000):
    """A chain of n relu nodes above one leaf, differentiated from the top."""
    with paused_gc():
        x = Value(0.5)
        node = x
        for _ in range(n):
            node = node.relu()
        start = time.perf_counter()
        node.backward()
        seconds = time.perf_counter() - start
        assert x.grad == 1.0
        del node
    return seconds


def main():
    rng = random.Random(0)
    samples = [([rng.uniform(-1, 1) for _ in range(3)], rng.uniform(-1, 1)) for _ in range(50)]
    baseline_mlp = make_mlp(BaselineValue, [3, 16, 16, 1], random.Random(1))
    chain_mlp = make_mlp(Value, [3, 16, 16, 1], random.Random(1))
    model = nn_model(chain_mlp)
    runs = {
        "baseline microGPT Value, chains, gc on": lambda: squared_error(chain_forward, baseline_mlp, samples),
        "coursekit Value, chains, gc on": lambda: squared_error(chain_forward, chain_mlp, samples),
        "coursekit Value, chains, paused_gc()": lambda: paused(squared_error, chain_forward, chain_mlp, samples),
        "coursekit nn.MLP (dot nodes), gc on": lambda: squared_error(nn_forward, model, samples),
        "coursekit nn.MLP (dot nodes), paused_gc()": lambda: paused(squared_error, nn_forward, model, samples),
    }
    losses = [run() for run in runs.values()]
    assert max(losses) - min(losses) < 1e-9, losses  # all four compute the same function

    rounds = 15
    times = {name: best_time(run, rounds) for name, run in runs.items()}
    baseline = times["baseline microGPT Value, chains, gc on"]
    print(f"MLP(3, [16, 16, 1]) over 50 samples, forward + backward (best of {rounds})")
    print(f"{'engine':<46}{'ms':>8}{'speed-up':>10}")
    for name, seconds in times.items():
        print(f"{name:<46}{seconds * 1e3:>8.1f}{baseline / seconds:>9.2f}x")

    print()
    print(f"{'bytes per op node (tracemalloc)':<46}{'bytes':>8}")
    print(f"{'baseline microGPT Value, a * b':<46}{bytes_per_node(BaselineValue):>8.0f}")
    print(f"{'coursekit Value, a * b':<46}{bytes_per_node(Value):>8.0f}")
    base_graph, our_graph = graph_bytes(chain_forward, baseline_mlp, samples), graph_bytes(nn_forward, model, samples)
    print(f"{'whole MLP graph, baseline (chains)':<46}{base_graph / 1e6:>7.2f}M")
    print(f"{'whole MLP graph, coursekit nn.MLP':<46}{our_graph / 1e6:>7.2f}M")
    print()
    print(f"backward of a 1,000,000-node chain: {chain_backward_seconds():.2f} s")


def paused(fn, *args):
    with paused_gc():
        return fn(*args)


def graph_bytes(forward, model, samples):
    """Bytes held by the forward graph of the whole workload (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    outputs = [forward(model, x) - y for x, y in samples]
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del outputs
    return held


if __name__ == "__main__":
    main()
