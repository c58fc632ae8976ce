"""Reference code for chapter 5: coursekit's network and the notebook's loss."""

from coursekit.nn import MLP, Layer, Neuron  # noqa: F401 - the targets call them


def loss_of(model, points, labels):
    scores = [model(x) for x in points]
    margins = [(1 - y * s).relu() for y, s in zip(labels, scores)]
    penalty = 1e-4 * sum(p * p for p in model.parameters())
    return sum(margins) / len(margins) + penalty
