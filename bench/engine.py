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
  everything on the clock, with only the class swapped (the collector on, then paused, for
  both; paused, the baseline frees no graph), and as a user runs it: the baseline as published
  (collector on) against coursekit under paused_gc().
- coursekit's own nn.MLP (one dot node per neuron), bytes per node (tracemalloc), and the
  backward pass of a chain of a million nodes.

Run: `make bench` or `python bench/engine.py [--rounds N] [--steps N] [--swap-rounds N]`.
"""

import argparse
import gc
import math
import random
import statistics
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
    """The fastest of `rounds` runs of fn (see `timings`)."""
    return min(timings({"": fn}, rounds, clock)[""])


def timings(runs, rounds, clock=time.process_time):
    """The time of every run of each entry, over `rounds` rounds that run each entry once, in
    turn (the order reversed every other round), so that a slow spell of the shared machine
    hits neighbours alike. Each run starts from a freshly collected heap, so that every engine
    meets the collector alike, and what it returns (a graph) is released after the clock stops.
    CPU seconds of this process by default (steadier than wall time on a shared machine); pass
    clock=time.perf_counter for work done in other processes."""
    times, order = {name: [] for name in runs}, list(runs)
    for _ in range(rounds):
        for name in order:
            gc.collect()
            start = clock()
            result = runs[name]()
            times[name].append(clock() - start)
            del result
        order.reverse()
    return times


def speedup(baseline_times, times):
    """The median over rounds of baseline time / time, each pair measured side by side."""
    return statistics.median(b / t for b, t in zip(baseline_times, times))


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


def block_bytes_per_node(value_class):
    """What an a * b node really takes: tracemalloc counts the bytes asked for, but CPython's
    allocator hands out blocks in steps of 16 bytes; so the node, its two tuples and its float,
    each rounded up to its block (what the resident memory of a million such nodes shows)."""
    node = value_class(1.5) * value_class(0.5)
    return sum(-(-sys.getsizeof(part) // 16) * 16 for part in (node, node._children, node._local_grads, node.data))


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
    """Both classes on the same workloads, the collector paused for both: {workload: (baseline
    times, coursekit times)}."""
    workloads = {
        "+ and * chains: MLP(3, [16, 16, 1]), 50 samples": lambda cls: (
            lambda mlp=baseline_mlp if cls is BaselineValue else chain_mlp: squared_error(chain_forward, mlp, samples)
        ),
        "** chain: (x ** 2) ** 0.5, 2,000 nodes": lambda cls: lambda: unary_chain(cls, power_step),
        "exp and log chain: x.exp().log(), 2,000 nodes": lambda cls: lambda: unary_chain(cls, exp_log_step),
        "microGPT step: one name, forward + backward": microgpt_step,
    }
    runs = {}
    for name, make in workloads.items():
        for cls in (BaselineValue, Value):
            run = make(cls)
            runs[name, cls] = lambda run=run: paused(run)
    check_same_losses(runs)
    times = timings(runs, rounds)
    return {name: (times[name, BaselineValue], times[name, Value]) for name in workloads}


def check_same_losses(runs):
    """Both classes compute the same function on every workload (else the timing means nothing)."""
    losses = {}
    for (name, _), run in runs.items():
        losses.setdefault(name, []).append(run().data)
    for name, (baseline, ours) in losses.items():
        assert math.isclose(baseline, ours, rel_tol=1e-9, abs_tol=1e-12), (name, baseline, ours)


def print_table(title, rows, per=1):
    """rows: {name: (baseline times, coursekit times)}; the fastest of each in ms (divided by
    `per`) and the median speed-up of the rounds."""
    print(title)
    print(f"{'':<52}{'baseline':>10}{'coursekit':>11}{'speed-up':>10}")
    for name, (baseline, ours) in rows.items():
        print(f"{name:<52}{min(baseline) * 1e3 / per:>10.1f}{min(ours) * 1e3 / per:>11.1f}{speedup(baseline, ours):>9.2f}x")
    print()


def microgpt_swap(steps, rounds):
    """microGPT's training loop with each class, everything on the clock."""
    losses = [microgpt_training(cls, steps) for cls in (BaselineValue, Value)]
    assert max(abs(a - b) for a, b in zip(*losses)) < 1e-9, losses  # the same training, step by step
    times = timings(
        {
            "baseline": lambda: microgpt_training(BaselineValue, steps),
            "baseline, paused": lambda: paused(microgpt_training, BaselineValue, steps),
            "coursekit": lambda: microgpt_training(Value, steps),
            "coursekit, paused": lambda: paused(microgpt_training, Value, steps),
        },
        rounds,
    )
    return {
        "only the class swapped, collector on for both": (times["baseline"], times["coursekit"]),
        "only the class swapped, collector paused for both": (times["baseline, paused"], times["coursekit, paused"]),
        "as a user runs it (coursekit under paused_gc())": (times["baseline"], times["coursekit, paused"]),
    }


def coursekit_nn(rounds, samples, baseline_mlp, model):
    """coursekit.nn's MLP (one dot node per neuron) against the baseline's chains, collector on."""
    times = timings(
        {
            "baseline": lambda: squared_error(chain_forward, baseline_mlp, samples),
            "collector on": lambda: squared_error(nn_forward, model, samples),
            "paused_gc()": lambda: paused(squared_error, nn_forward, model, samples),
        },
        rounds,
    )
    return {f"nn.MLP (dot nodes), {name}": (times["baseline"], times[name]) for name in ("collector on", "paused_gc()")}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21, help="rounds of the engine-alone and nn workloads (default 21)")
    parser.add_argument("--steps", type=int, default=20, help="training steps of a microGPT swap run (default 20)")
    parser.add_argument("--swap-rounds", type=int, default=3, help="rounds of the microGPT swap (default 3)")
    args = parser.parse_args()
    sys.setrecursionlimit(20_000)  # the baseline's recursive walk goes as deep as the graph

    rng = random.Random(0)
    samples = [([rng.uniform(-1, 1) for _ in range(3)], rng.uniform(-1, 1)) for _ in range(50)]
    baseline_mlp = make_mlp(BaselineValue, [3, 16, 16, 1], random.Random(1))
    chain_mlp = make_mlp(Value, [3, 16, 16, 1], random.Random(1))
    model = nn_model(chain_mlp)
    print(f"Python {sys.version.split()[0]}; CPU milliseconds, the fastest round; speed-up: the median of the rounds")
    print()
    rows = engine_alone(args.rounds, samples, baseline_mlp, chain_mlp)
    print_table(f"Engine alone, the collector paused for both ({args.rounds} rounds)", rows)
    rows = microgpt_swap(args.steps, args.swap_rounds)
    title = f"microGPT swap: {args.steps} training steps of the same code, per step ({args.swap_rounds} rounds)"
    print_table(title, rows, per=args.steps)
    rows = coursekit_nn(args.rounds, samples, baseline_mlp, model)
    print_table(f"coursekit's nn against the baseline's chains, MLP(3, [16, 16, 1]), 50 samples ({args.rounds} rounds)", rows)

    print(f"{'bytes per node (tracemalloc)':<52}{'baseline':>10}{'coursekit':>11}{'ratio':>10}")
    memory_rows = [
        ("a * b", bytes_per_node(BaselineValue), bytes_per_node(Value)),
        ("a * b, in the 16-byte blocks the allocator hands out",
         block_bytes_per_node(BaselineValue), block_bytes_per_node(Value)),
        ("whole MLP graph (coursekit: nn.MLP), MB",
         graph_bytes(chain_forward, baseline_mlp, samples) / 1e6, graph_bytes(nn_forward, model, samples) / 1e6),
    ]
    for label, baseline, ours in memory_rows:
        digits = 2 if "MB" in label else 0
        print(f"{label:<52}{baseline:>10.{digits}f}{ours:>11.{digits}f}{ours / baseline:>9.2f}x")
    print()
    print(f"backward of a 1,000,000-node chain: {chain_backward_seconds():.2f} s")


if __name__ == "__main__":
    main()
