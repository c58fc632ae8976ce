import random

import pytest

from coursekit import Value
from coursekit.capstone.moons import make_moons, moons_model, train
from coursekit.gradcheck import numerical_grad
from coursekit.nn import MLP, Layer, Neuron


def test_neuron_computes_relu_of_weighted_sum():
    n = Neuron(3, rng=random.Random(0))
    x = [1.0, -2.0, 0.5]
    expected = sum(w.data * xi for w, xi in zip(n.w, x)) + n.b.data
    assert n(x).data == pytest.approx(max(expected, 0.0))
    assert Neuron(3, nonlin=False, rng=random.Random(0))(x).data == pytest.approx(expected)


def test_shapes_and_parameters():
    model = MLP(3, [4, 4, 1], rng=random.Random(0))
    assert len(model.parameters()) == (3 * 4 + 4) + (4 * 4 + 4) + (4 + 1)
    assert isinstance(model([1.0, 2.0, 3.0]), Value)
    assert len(Layer(2, 5)([1.0, 2.0])) == 5
    assert "ReLUNeuron(3)" in repr(model) and "LinearNeuron(4)" in repr(model)


def test_parameter_gradients_match_central_differences():
    model = MLP(2, [3, 1], rng=random.Random(1))
    x = [Value(0.7), Value(-1.2)]
    out = model(x)
    model.zero_grad()
    out.backward()
    for p in model.parameters():

        def output_at(t, p=p):
            saved, p.data = p.data, t
            try:
                return model([0.7, -1.2]).data
            finally:
                p.data = saved

        assert p.grad == pytest.approx(numerical_grad(output_at, p.data, 1e-6), abs=1e-6)


def test_zero_grad():
    model = MLP(2, [2, 1], rng=random.Random(0))
    model([1.0, 1.0]).backward()
    model.zero_grad()
    assert all(p.grad == 0 for p in model.parameters())


def test_moons_are_two_balanced_interleaving_classes():
    points, labels = make_moons(100, seed=3)
    assert len(points) == 100 and sorted(set(labels)) == [-1, 1] and labels.count(1) == 50
    assert make_moons(100, seed=3) == (points, labels)
    assert make_moons(100, seed=4) != (points, labels)


def test_training_reaches_95_percent_within_100_steps():
    points, labels = make_moons(100, seed=0)
    history = list(train(moons_model(seed=0), points, labels, steps=100))
    assert len(history) == 100
    assert history[-1].loss < history[0].loss
    assert max(step.accuracy for step in history) >= 0.95
