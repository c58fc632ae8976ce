"""Engine benchmark: coursekit's Value against the classic microGPT Value, in one run.

The baseline is the twelve-line Value of the single-file microGPT (slots, local gradients at
forward time, a recursive topological sort), written out below as published. The workloads run
with each class in interleaved rounds, and each keeps its best CPU time: the machine is shared,
and the best round is the one least disturbed, for every entry alike.

- Engine alone, the collector paused for both: chains of + and * (an MLP whose neurons are
  b + w0*x0 + w1*x1 + ...), chains of ** and of exp and log, and one step of the names GPT
  written as microGPT writes it (forward and backward of one name). Each graph is released
  after the clock stops: microGPT's backward leaves its graph in a reference cycle (the
  recursive closure), so with the collector paused it never frees one at all.
- The microGPT swap: training steps of that same code (Adam included) with each class,
  everything on the clock, with only the class swapped, and as a user runs it: the baseline as
  published (collector on) against coursekit under paused_gc().
- coursekit's own nn.MLP (one dot node per neuron), bytes per node (tracemalloc), and the
  backward pass of a chain of a million nodes.

Run: `make bench` or `python bench/engine.py [--rounds N] [--steps N] [--swap-rounds N]`.
"""

import argparse
import gc
import math
import random
import sys
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
    """The summed squared error over the samples, differentiated; returns the loss Value."""
    loss = 0
    for x, y in samples:
        error = forward(model, x) - y
        loss = loss + error * error
    loss.backward()
    return loss


def nn_forward(model, x):
    return model(x)


def nn_model(chain_mlp):
    """coursekit.nn.MLP with the same weights as a chain MLP."""
    model = MLP(3, [16, 16, 1])
    for layer, chain_layer in zip(model.layers, chain_mlp):
        for neuron, (w, b) in zip(layer.neurons, chain_layer):
            neuron.w, neuron.b = w, b
    return model


def unary_chain(value_class, step, nodes=2_000):
    """A chain of `nodes` unary ops above one leaf, `step` adding two of them; differentiated."""
    node = value_class(0.5)
    for _ in range(nodes // 2):
        node = step(node)
    node.backward()
    return node


def power_step(v):
    return (v**2) ** 0.5


def exp_log_step(v):
    return v.exp().log()


def microgpt_step(value_class):
    """One step of the names GPT as microGPT writes it, for value_class: forward and backward
    of one name. Returns the step (a function returning the loss) on a model made once."""
    import gpt as microgpt  # bench/gpt.py; imported here because it imports this file

    model = microgpt.gpt.init_model(random.Random(0), value_class)
    tokens = microgpt.gpt.encode("emmanuelle")

    def step():
        loss = microgpt.name_loss(model, tokens)
        loss.backward()
        return loss

    return step


def microgpt_training(value_class, steps):
    """`steps` steps of microGPT's training loop (Adam included) with value_class."""
    import gpt as microgpt

    return microgpt.baseline_train(steps, 0, value_class)


def paused(fn, *args):
    with paused_gc():
        return fn(*args)


def best_time(fn, rounds, clock=time.process_time):
    """The fastest of `rounds` runs, each starting from a freshly collected heap so that every
    engine meets the collector alike. CPU seconds of this process by default (steadier than wall
    time on a shared machine); pass clock=time.perf_counter for work done in other processes."""
    return best_times({"": fn}, rounds, clock)[""]


def best_times(runs, rounds, clock=time.process_time):
    """The fastest time of each run over `rounds` rounds that each run every entry once, so a
    slow spell of the machine hits all entries alike. Each run starts from a freshly collected
    heap, and what it returns (a graph) is released after the clock stops."""
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(rounds):
        for name, fn in runs.items():
            gc.collect()
            start = clock()
            result = fn()
            best[name] = min(best[name], clock() - start)
            del result
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


def graph_bytes(forward, model, samples):
    """Bytes held by the forward graph of the whole workload (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    outputs = [forward(model, x) - y for x, y in samples]
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del outputs
    return held


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


def engine_alone(rounds, samples, baseline_mlp, chain_mlp):
    """Both classes on the same workloads, the collector paused for both."""
    workloads = {
        "+ and * chains: MLP(3, [16, 16, 1]), 50 samples": lambda cls: (
            lambda mlp=baseline_mlp if cls is BaselineValue else chain_mlp: squared_error(chain_forward, mlp, samples)
        ),
        "** chain: (x ** 2) ** 0.5, 2,000 nodes": lambda cls: lambda: unary_chain(cls, power_step),
        "exp and log chain: x.exp().log(), 2,000 nodes": lambda cls: lambda: unary_chain(cls, exp_log_step),
        "microGPT step: one name, forward + backward": microgpt_step,
    }
    runs = {(name, cls): make(cls) for name, make in workloads.items() for cls in (BaselineValue, Value)}
    for (name, _), run in runs.items():
        runs[name, _] = lambda run=run: paused(run)
    check_same_losses(runs)
    return best_times(runs, rounds)


def check_same_losses(runs):
    """Both classes compute the same function on every workload (else the timing means nothing)."""
    losses = {}
    for (name, _), run in runs.items():
        losses.setdefault(name, []).append(run().data)
    for name, (baseline, ours) in losses.items():
        assert math.isclose(baseline, ours, rel_tol=1e-9, abs_tol=1e-12), (name, baseline, ours)


def print_pairs(title, times, unit=1e3, per=1):
    print(title)
    print(f"{'':<52}{'baseline':>10}{'coursekit':>11}{'speed-up':>10}")
    for name in dict.fromkeys(name for name, _ in times):
        baseline, ours = times[name, BaselineValue], times[name, Value]
        print(f"{name:<52}{baseline * unit / per:>10.1f}{ours * unit / per:>11.1f}{baseline / ours:>9.2f}x")
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9, help="rounds of every workload (default 9)")
    parser.add_argument("--steps", type=int, default=20, help="training steps of a microGPT swap run (default 20)")
    parser.add_argument("--swap-rounds", type=int, default=3, help="rounds of the microGPT swap (default 3)")
    args = parser.parse_args()
    sys.setrecursionlimit(20_000)  # the baseline's recursive walk goes as deep as the graph

    rng = random.Random(0)
    samples = [([rng.uniform(-1, 1) for _ in range(3)], rng.uniform(-1, 1)) for _ in range(50)]
    baseline_mlp = make_mlp(BaselineValue, [3, 16, 16, 1], random.Random(1))
    chain_mlp = make_mlp(Value, [3, 16, 16, 1], random.Random(1))
    model = nn_model(chain_mlp)
    print(f"Python {sys.version.split()[0]}; best of {args.rounds} interleaved rounds, CPU milliseconds")
    print()
    print_pairs("Engine alone, the collector paused for both", engine_alone(args.rounds, samples, baseline_mlp, chain_mlp))

    steps = args.steps
    losses = [microgpt_training(cls, steps) for cls in (BaselineValue, Value)]
    assert max(abs(a - b) for a, b in zip(*losses)) < 1e-9, losses  # the same training, step by step
    times = best_times(
        {
            "baseline": lambda: microgpt_training(BaselineValue, steps),
            "coursekit": lambda: microgpt_training(Value, steps),
            "coursekit, paused_gc()": lambda: paused(microgpt_training, Value, steps),
        },
        args.swap_rounds,
    )
    swap = {
        ("only the class swapped (collector on for both)", BaselineValue): times["baseline"],
        ("only the class swapped (collector on for both)", Value): times["coursekit"],
        ("as a user runs it (coursekit under paused_gc())", BaselineValue): times["baseline"],
        ("as a user runs it (coursekit under paused_gc())", Value): times["coursekit, paused_gc()"],
    }
    print_pairs(f"microGPT swap: {steps} training steps of the same code, ms per step", swap, per=steps)

    own = {
        "baseline, chains, collector on": lambda: squared_error(chain_forward, baseline_mlp, samples),
        "coursekit nn.MLP (dot nodes), collector on": lambda: squared_error(nn_forward, model, samples),
        "coursekit nn.MLP (dot nodes), paused_gc()": lambda: paused(squared_error, nn_forward, model, samples),
    }
    times = best_times(own, args.rounds)
    baseline = times["baseline, chains, collector on"]
    print("coursekit's nn: MLP(3, [16, 16, 1]) over 50 samples, forward + backward")
    for name, seconds in times.items():
        print(f"{name:<52}{seconds * 1e3:>10.1f}{baseline / seconds:>20.2f}x")
    print()

    print(f"{'bytes per node (tracemalloc)':<52}{'baseline':>10}{'coursekit':>11}{'ratio':>10}")
    base_node, our_node = bytes_per_node(BaselineValue), bytes_per_node(Value)
    print(f"{'a * b':<52}{base_node:>10.0f}{our_node:>11.0f}{our_node / base_node:>9.2f}x")
    base_graph, our_graph = graph_bytes(chain_forward, baseline_mlp, samples), graph_bytes(nn_forward, model, samples)
    print(f"{'whole MLP graph (coursekit: nn.MLP), MB':<52}{base_graph / 1e6:>10.2f}{our_graph / 1e6:>11.2f}{our_graph / base_graph:>9.2f}x")
    print()
    print(f"backward of a 1,000,000-node chain: {chain_backward_seconds():.2f} s")


if __name__ == "__main__":
    main()
