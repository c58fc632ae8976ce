"""The capstone: a GPT trained on names, one scalar at a time.

The microGPT shape: token and position embeddings, one transformer block (RMSNorm, causal
self-attention with four heads, a ReLU MLP), a linear head, softmax cross-entropy, Adam. Every
number is a `Value`, so `loss.backward()` is the engine of the course doing all the calculus.

One idea keeps it fast without hiding anything: a dot product or a sum becomes one node with many
children (the engine's `Value.dot` and `Value.sum`) instead of a chain of binary nodes, so the
graph of one name has thousands of nodes instead of a hundred thousand. Together with `paused_gc()` that is what makes a
step take milliseconds (see bench/gpt.py).
"""

import math
import random
from dataclasses import dataclass, field
from importlib import resources

from coursekit.engine import Value, paused_gc

LETTERS = "abcdefghijklmnopqrstuvwxyz"
BOUNDARY = len(LETTERS)  # one extra token marks both the start and the end of a name
VOCAB_SIZE = len(LETTERS) + 1
N_LAYER = 1
N_EMBD = 16
N_HEAD = 4
HEAD_DIM = N_EMBD // N_HEAD
BLOCK_SIZE = 16  # the longest context: a name of up to 15 letters plus its boundary token
INIT_STD = 0.08

LEARNING_RATE = 0.01
BETA1 = 0.85
BETA2 = 0.99
ADAM_EPS = 1e-8


# -- data ----------------------------------------------------------------------------


def load_names():
    """The 32,033 names shipped with coursekit (makemore's names.txt), in file order."""
    text = resources.files("coursekit.capstone").joinpath("data/names.txt").read_text(encoding="utf-8")
    return text.split()


def encode(name):
    """The tokens of one name, wrapped in boundary tokens: "ava" -> [26, 0, 21, 0, 26]."""
    unknown = sorted(set(name) - set(LETTERS))
    if unknown:
        raise ValueError(f"encode: {name!r} has characters outside a-z: {''.join(unknown)!r}")
    return [BOUNDARY, *(LETTERS.index(letter) for letter in name), BOUNDARY]


# -- many terms in one node --------------------------------------------------------------
# The engine's Value.dot and Value.sum, asked of the inputs' own class: the model then runs on
# any Value that has them (the tests also run it on a plain microGPT-style Value).


def dot(weights, inputs):
    """Σ w·x as one node with 2n children instead of a chain of 2n binary nodes."""
    return type(weights[0]).dot(weights, inputs)


def total(terms):
    """Σ x as one node whose local gradients are all 1."""
    return type(terms[0]).sum(terms)


# -- the pieces of the model -----------------------------------------------------------


def init_model(rng, value=Value):
    """Every weight matrix by name, drawn from N(0, 0.08²) with rng (microGPT's order)."""

    def matrix(rows, columns):
        return [[value(rng.gauss(0, INIT_STD)) for _ in range(columns)] for _ in range(rows)]

    model = {"wte": matrix(VOCAB_SIZE, N_EMBD), "wpe": matrix(BLOCK_SIZE, N_EMBD), "lm_head": matrix(VOCAB_SIZE, N_EMBD)}
    for layer in range(N_LAYER):
        for name in ("wq", "wk", "wv", "wo"):
            model[f"layer{layer}.{name}"] = matrix(N_EMBD, N_EMBD)
        model[f"layer{layer}.fc1"] = matrix(4 * N_EMBD, N_EMBD)
        model[f"layer{layer}.fc2"] = matrix(N_EMBD, 4 * N_EMBD)
    return model


def parameters(model):
    """All the weights as one flat list, in a fixed order."""
    return [p for matrix in model.values() for row in matrix for p in row]


def embed(model, token, position):
    """What the token is plus where it stands: one row of each embedding table, added."""
    return [t + p for t, p in zip(model["wte"][token], model["wpe"][position])]


def linear(x, w):
    """w @ x, one dot product per row of w."""
    return [dot(row, x) for row in w]


def rmsnorm(x):
    """Scale x to a root mean square of 1 (no learned gain, as in microGPT)."""
    mean_square = dot(x, x) * (1.0 / len(x))
    scale = (mean_square + 1e-5) ** -0.5
    return [xi * scale for xi in x]


def softmax(logits):
    """exp(l) / Σ exp(l), shifted by the largest logit so exp never overflows."""
    top = max(logit.data for logit in logits)
    exps = [(logit - top).exp() for logit in logits]
    inverse = total(exps) ** -1
    return [e * inverse for e in exps]


def cross_entropy(logits, target):
    """-log softmax(logits)[target], written as log Σ exp(l - max) - (l[target] - max)."""
    top = max(logit.data for logit in logits)
    shifted = [logit - top for logit in logits]
    return total([s.exp() for s in shifted]).log() - shifted[target]


def attention_head(query, keys, values):
    """One head: weigh every earlier position's value by how well its key matches the query."""
    scale = 1.0 / math.sqrt(len(query))
    weights = softmax([dot(query, key) * scale for key in keys])
    return [dot(weights, [value[i] for value in values]) for i in range(len(query))]


def causal_self_attention(model, layer, x, cache):
    """N_HEAD heads over the positions seen so far; cache holds their keys and values."""
    prefix = f"layer{layer}."
    query = linear(x, model[prefix + "wq"])
    keys, values = cache
    keys.append(linear(x, model[prefix + "wk"]))
    values.append(linear(x, model[prefix + "wv"]))
    heads = []
    for start in range(0, N_EMBD, HEAD_DIM):
        part = slice(start, start + HEAD_DIM)
        heads += attention_head(query[part], [k[part] for k in keys], [v[part] for v in values])
    return linear(heads, model[prefix + "wo"])


def mlp(model, layer, x):
    """Widen to 4·N_EMBD, ReLU, project back."""
    hidden = [h.relu() for h in linear(x, model[f"layer{layer}.fc1"])]
    return linear(hidden, model[f"layer{layer}.fc2"])


def gpt(model, token, position, caches):
    """The logits of the next token, given this token, its position and the earlier ones' caches."""
    x = rmsnorm(embed(model, token, position))
    for layer, cache in enumerate(caches):
        # pre-norm residual connections: each sublayer sees a normalized x and adds to x itself
        x = [a + b for a, b in zip(x, causal_self_attention(model, layer, rmsnorm(x), cache))]
        x = [a + b for a, b in zip(x, mlp(model, layer, rmsnorm(x)))]
    return linear(x, model["lm_head"])


def empty_caches():
    """One (keys, values) pair of lists per layer, filled as positions go by."""
    return [([], []) for _ in range(N_LAYER)]


def name_loss(model, tokens):
    """Mean cross-entropy of predicting each next token of one name (at most BLOCK_SIZE of them)."""
    caches = empty_caches()
    n = min(BLOCK_SIZE, len(tokens) - 1)
    losses = [cross_entropy(gpt(model, tokens[pos], pos, caches), tokens[pos + 1]) for pos in range(n)]
    return total(losses) * (1.0 / n)


# -- training ----------------------------------------------------------------------------


class Adam:
    """Adam with microGPT's settings; step() also clears the gradients it used."""

    def __init__(self, params):
        self.params = params
        self.m = [0.0] * len(params)
        self.v = [0.0] * len(params)
        self.t = 0

    def step(self, lr):
        self.t += 1
        m_correction = 1 - BETA1**self.t
        v_correction = 1 - BETA2**self.t
        for i, p in enumerate(self.params):
            g = p.grad
            self.m[i] = m = BETA1 * self.m[i] + (1 - BETA1) * g
            self.v[i] = v = BETA2 * self.v[i] + (1 - BETA2) * g * g
            p.data -= lr * (m / m_correction) / ((v / v_correction) ** 0.5 + ADAM_EPS)
            p.grad = 0


@dataclass
class TrainingRun:
    """A trained model and the loss of every step."""

    model: dict
    losses: list = field(default_factory=list)


def train(steps=1000, seed=0, value=Value, on_step=None):
    """Train on one name per step with a linearly decaying learning rate.

    Everything random comes from random.Random(seed) (the order of the names, the initial
    weights), so a seed reproduces a run bit for bit. on_step(step, loss) is called after each step.
    """
    if steps < 1:
        raise ValueError(f"train: steps must be at least 1, got {steps}")
    rng = random.Random(seed)
    names = load_names()
    rng.shuffle(names)
    run = TrainingRun(init_model(rng, value))
    adam = Adam(parameters(run.model))
    for step in range(steps):
        loss = train_step(run.model, adam, encode(names[step % len(names)]), LEARNING_RATE * (1 - step / steps))
        run.losses.append(loss)
        if on_step:
            on_step(step + 1, loss)
    return run


def train_step(model, adam, tokens, lr):
    """Forward, backward and update on one name; returns the loss as a float.

    The collector is paused only while the graph lives (see paused_gc): the graph is freed
    by reference counting when this function returns.
    """
    with paused_gc():
        loss = name_loss(model, tokens)
        loss.backward()
        adam.step(lr)
        return loss.data


# -- sampling ----------------------------------------------------------------------------


def sample_name(model, rng, temperature=0.5):
    """Generate one name letter by letter; lower temperature means safer, more common letters."""
    if not temperature > 0:
        raise ValueError(f"sample: the temperature must be positive, got {temperature!r}")
    caches = empty_caches()
    token, letters = BOUNDARY, []
    for position in range(BLOCK_SIZE):
        probs = softmax([logit * (1.0 / temperature) for logit in gpt(model, token, position, caches)])
        token = rng.choices(range(VOCAB_SIZE), weights=[p.data for p in probs])[0]
        if token == BOUNDARY:
            break
        letters.append(LETTERS[token])
    return "".join(letters)


def sample_names(model, count=20, temperature=0.5, seed=0):
    """count generated names, reproducible with seed."""
    rng = random.Random(seed)
    with paused_gc():
        return [sample_name(model, rng, temperature) for _ in range(count)]


def mean_loss(model, names):
    """The average per-name loss of model over names: forward passes only, no backward."""
    with paused_gc():
        return sum(name_loss(model, encode(name)).data for name in names) / len(names)
