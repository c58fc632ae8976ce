"""Per-step time of the names GPT: a straightforward microGPT-style baseline vs coursekit's trainer.

Same model, same seed, same names, in one run. The baseline is written the way the well-known
single-file microGPT writes it: a Value with slots, children and local gradients, a recursive
topological walk, every sum a chain of binary nodes, and the cyclic collector left at its
defaults. coursekit's side is `coursekit.capstone.gpt.train` exactly as `coursekit gpt train` runs it.

Run: .venv/bin/python bench/gpt.py [--steps N]   (a minute or so with the default)
"""

import argparse
import random
import sys
import time

from engine import BaselineValue  # bench/engine.py: the single-file microGPT Value

from coursekit.capstone import gpt

# -- the same model, microGPT style: every sum a chain of binary nodes --------------------


def linear(x, w):
    return [sum(wi * xi for wi, xi in zip(row, x)) for row in w]


def softmax(logits):
    top = max(v.data for v in logits)
    exps = [(v - top).exp() for v in logits]
    s = sum(exps)
    return [e / s for e in exps]


def rmsnorm(x):
    scale = (sum(xi * xi for xi in x) / len(x) + 1e-5) ** -0.5
    return [xi * scale for xi in x]


def forward(sd, token, pos, keys, values):
    x = rmsnorm([t + p for t, p in zip(sd["wte"][token], sd["wpe"][pos])])
    for li in range(gpt.N_LAYER):
        residual = x
        x = rmsnorm(x)
        q = linear(x, sd[f"layer{li}.wq"])
        keys[li].append(linear(x, sd[f"layer{li}.wk"]))
        values[li].append(linear(x, sd[f"layer{li}.wv"]))
        attended = []
        for hs in range(0, gpt.N_EMBD, gpt.HEAD_DIM):
            q_h = q[hs : hs + gpt.HEAD_DIM]
            k_h = [k[hs : hs + gpt.HEAD_DIM] for k in keys[li]]
            v_h = [v[hs : hs + gpt.HEAD_DIM] for v in values[li]]
            logits = [sum(q_h[j] * k[j] for j in range(gpt.HEAD_DIM)) / gpt.HEAD_DIM**0.5 for k in k_h]
            w = softmax(logits)
            attended += [sum(w[t] * v_h[t][j] for t in range(len(v_h))) for j in range(gpt.HEAD_DIM)]
        x = [a + b for a, b in zip(linear(attended, sd[f"layer{li}.wo"]), residual)]
        residual = x
        hidden = [h.relu() for h in linear(rmsnorm(x), sd[f"layer{li}.fc1"])]
        x = [a + b for a, b in zip(linear(hidden, sd[f"layer{li}.fc2"]), residual)]
    return linear(x, sd["lm_head"])


def name_loss(sd, tokens):
    """Mean cross-entropy of each next token of one encoded name, as microGPT computes it."""
    n = min(gpt.BLOCK_SIZE, len(tokens) - 1)
    keys, values = [[] for _ in range(gpt.N_LAYER)], [[] for _ in range(gpt.N_LAYER)]
    return (1 / n) * sum(-softmax(forward(sd, tokens[p], p, keys, values))[tokens[p + 1]].log() for p in range(n))


def baseline_train(steps, seed, value=BaselineValue):
    """microGPT's loop on the same names and initial weights as coursekit.capstone.gpt.train(seed=seed),
    with `value` as its Value class."""
    rng = random.Random(seed)
    names = gpt.load_names()
    rng.shuffle(names)
    sd = gpt.init_model(rng, value)
    params = gpt.parameters(sd)
    m, v = [0.0] * len(params), [0.0] * len(params)
    losses = []
    for step in range(steps):
        loss = name_loss(sd, gpt.encode(names[step % len(names)]))
        loss.backward()
        lr = gpt.LEARNING_RATE * (1 - step / steps)
        for i, p in enumerate(params):
            m[i] = gpt.BETA1 * m[i] + (1 - gpt.BETA1) * p.grad
            v[i] = gpt.BETA2 * v[i] + (1 - gpt.BETA2) * p.grad**2
            m_hat = m[i] / (1 - gpt.BETA1 ** (step + 1))
            v_hat = v[i] / (1 - gpt.BETA2 ** (step + 1))
            p.data -= lr * m_hat / (v_hat**0.5 + gpt.ADAM_EPS)
            p.grad = 0
        losses.append(loss.data)
    return losses


def timed(train, steps, seed):
    # CPU time of this process: the machine is shared, and other people's work must not count
    start = time.process_time()
    losses = train(steps, seed)
    return (time.process_time() - start) / steps, losses


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=40, help="training steps per engine (default 40)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    sys.setrecursionlimit(10_000)  # the recursive walk of the baseline goes as deep as the graph

    base_time, base_losses = timed(baseline_train, args.steps, args.seed)
    ours_time, ours_losses = timed(lambda steps, seed: gpt.train(steps, seed).losses, args.steps, args.seed)
    gap = max(abs(a - b) for a, b in zip(base_losses, ours_losses))

    print(f"names GPT, {args.steps} steps each, seed {args.seed}, Python {sys.version.split()[0]}")
    print(f"{'engine':<44} {'CPU ms/step':>11} {'speed-up':>9}")
    print(f"{'microGPT-style baseline (gc at defaults)':<44} {base_time * 1e3:>11.1f} {1:>8.1f}x")
    print(f"{'coursekit gpt train (n-ary nodes, gc paused)':<44} {ours_time * 1e3:>11.1f} {base_time / ours_time:>8.1f}x")
    print(f"largest loss difference between the two runs: {gap:.1e}")


if __name__ == "__main__":
    main()
