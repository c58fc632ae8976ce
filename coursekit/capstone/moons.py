"""Chapter 5's worked example: an MLP learns to separate two interleaving half moons."""

import math
import random
from dataclasses import dataclass

from coursekit.engine import Value, paused_gc
from coursekit.nn import MLP


def make_moons(n=100, noise=0.1, seed=0):
    """n points on two interleaving half circles, with labels -1 and +1 (generated, no download)."""
    rng = random.Random(seed)
    points, labels = [], []
    for i in range(n):
        t = math.pi * (i // 2) / max(1, n // 2 - 1)
        if i % 2 == 0:
            x, y, label = math.cos(t), math.sin(t), -1
        else:
            x, y, label = 1 - math.cos(t), 0.5 - math.sin(t), 1
        points.append([x + rng.gauss(0, noise), y + rng.gauss(0, noise)])
        labels.append(label)
    return points, labels


@dataclass(frozen=True)
class TrainingStep:
    step: int
    loss: float
    accuracy: float


def moons_model(seed=0):
    """The classifier of the example: MLP(2, [16, 16, 1]) with seeded initial weights."""
    return MLP(2, [16, 16, 1], rng=random.Random(seed))


def train(model, points, labels, steps=100):
    """Fit model with a max-margin loss and SGD; yield a TrainingStep after every update."""
    params = model.parameters()
    for step in range(steps):
        with paused_gc():
            scores = [model(x) for x in points]
            margins = [(1 - y * s).relu() for y, s in zip(labels, scores)]
            regularization = 1e-4 * Value.sum(p * p for p in params)
            loss = Value.sum(margins) / len(margins) + regularization
            model.zero_grad()
            loss.backward()
        learning_rate = 1.0 - 0.9 * step / steps
        for p in params:
            p.data -= learning_rate * p.grad
        correct = sum((y > 0) == (s.data > 0) for y, s in zip(labels, scores))
        yield TrainingStep(step, loss.data, correct / len(labels))
