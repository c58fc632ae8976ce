"""The names GPT: checked against a plain Value, central differences and closed forms."""

import math
import random

import pytest

from coursekit import Value
from coursekit.capstone import gpt


class PlainValue:
    """The microGPT Value (slots, children, local gradients, an iterative walk) with plain sum and dot."""

    __slots__ = ("data", "grad", "_children", "_local_grads")

    def __init__(self, data, children=(), local_grads=()):
        self.data = data
        self.grad = 0
        self._children = children
        self._local_grads = local_grads

    def __add__(self, other):
        other = other if isinstance(other, PlainValue) else PlainValue(other)
        return PlainValue(self.data + other.data, (self, other), (1, 1))

    def __mul__(self, other):
        other = other if isinstance(other, PlainValue) else PlainValue(other)
        return PlainValue(self.data * other.data, (self, other), (other.data, self.data))

    def __pow__(self, n):
        return PlainValue(self.data**n, (self,), (n * self.data ** (n - 1),))

    def log(self):
        return PlainValue(math.log(self.data), (self,), (1 / self.data,))

    def exp(self):
        return PlainValue(math.exp(self.data), (self,), (math.exp(self.data),))

    def relu(self):
        return PlainValue(max(0.0, self.data), (self,), (float(self.data > 0),))

    def __sub__(self, other):
        return self + other * -1 if isinstance(other, PlainValue) else self + (-other)

    @staticmethod
    def dot(weights, inputs):
        return PlainValue(
            sum(w.data * x.data for w, x in zip(weights, inputs)),
            (*weights, *inputs),
            (*(x.data for x in inputs), *(w.data for w in weights)),
        )

    @staticmethod
    def sum(terms):
        return PlainValue(sum(t.data for t in terms), tuple(terms), (1,) * len(terms))

    def backward(self):
        order, seen, stack = [], set(), [(self, False)]
        while stack:  # depth-first post-order without recursion
            node, expanded = stack.pop()
            if expanded:
                order.append(node)
            elif node not in seen:
                seen.add(node)
                stack.append((node, True))
                stack.extend((child, False) for child in node._children)
        self.grad = 1
        for node in reversed(order):
            for child, local in zip(node._children, node._local_grads):
                child.grad += local * node.grad


def test_five_steps_give_the_same_losses_as_a_plain_value():
    ours = gpt.train(steps=5, seed=3).losses
    plain = gpt.train(steps=5, seed=3, value=PlainValue).losses
    assert len(ours) == 5
    assert ours == pytest.approx(plain, abs=1e-9, rel=0)
    assert ours[0] == pytest.approx(math.log(gpt.VOCAB_SIZE), abs=0.1)  # small weights: a near-uniform guess


def test_gradients_after_one_step_match_central_differences():
    run = gpt.train(steps=1, seed=5)
    tokens = gpt.encode("isabella")
    gpt.name_loss(run.model, tokens).backward()
    rng = random.Random(0)
    h = 1e-6
    for name, matrix in run.model.items():
        # the boundary token and the first positions are the rows this name surely uses
        rows = matrix[: len(tokens)] if name in ("wte", "wpe") else matrix
        for p in rng.sample([p for row in rows for p in row], 3):
            saved = p.data
            p.data = saved + h
            above = gpt.name_loss(run.model, tokens).data
            p.data = saved - h
            below = gpt.name_loss(run.model, tokens).data
            p.data = saved
            assert p.grad == pytest.approx((above - below) / (2 * h), rel=1e-4, abs=1e-7), name


def test_a_seed_reproduces_a_run_bit_for_bit():
    first, second = gpt.train(steps=3, seed=11), gpt.train(steps=3, seed=11)
    assert first.losses == second.losses
    assert [p.data for p in gpt.parameters(first.model)] == [p.data for p in gpt.parameters(second.model)]
    assert gpt.sample_names(first.model, 5, seed=2) == gpt.sample_names(second.model, 5, seed=2)
    assert gpt.train(steps=3, seed=12).losses != first.losses


def test_cross_entropy_gradient_is_softmax_minus_one_hot():
    logits = [Value(x) for x in (2.0, -1.0, 0.5, 3.0)]
    loss = gpt.cross_entropy(logits, 2)
    loss.backward()
    exps = [math.exp(v.data) for v in logits]
    probs = [e / sum(exps) for e in exps]
    assert loss.data == pytest.approx(-math.log(probs[2]))
    assert [v.grad for v in logits] == pytest.approx([p - (i == 2) for i, p in enumerate(probs)])
    assert sum(p.data for p in gpt.softmax(logits)) == pytest.approx(1.0)


def test_softmax_does_not_overflow_on_large_logits():
    probs = gpt.softmax([Value(1000.0), Value(1000.0), Value(-1000.0)])
    assert [p.data for p in probs] == pytest.approx([0.5, 0.5, 0.0])


def test_rmsnorm_scales_to_a_root_mean_square_of_one():
    x = [Value(v) for v in (3.0, -4.0, 12.0)]
    rms = math.sqrt((9 + 16 + 144) / 3 + 1e-5)
    assert [y.data for y in gpt.rmsnorm(x)] == pytest.approx([3 / rms, -4 / rms, 12 / rms])


def test_adams_first_step_moves_each_weight_by_the_learning_rate_against_its_gradient():
    a, b = Value(1.0), Value(-2.0)
    a.grad, b.grad = 0.5, -3.0
    gpt.Adam([a, b]).step(lr=0.01)
    # after one step m_hat = g and v_hat = g², so the update is lr * g / (|g| + eps)
    assert a.data == pytest.approx(1.0 - 0.01 * 0.5 / (0.5 + gpt.ADAM_EPS), abs=1e-15)
    assert b.data == pytest.approx(-2.0 + 0.01 * 3.0 / (3.0 + gpt.ADAM_EPS), abs=1e-15)
    assert (a.grad, b.grad) == (0, 0)


def test_names_are_the_shipped_data_set():
    names = gpt.load_names()
    assert len(names) == 32033  # wc -l says 32032: the last line has no newline
    assert names[:3] == ["emma", "olivia", "ava"]
    assert all(set(name) <= set(gpt.LETTERS) and 2 <= len(name) + 1 < gpt.BLOCK_SIZE + 2 for name in names)


def test_encode_wraps_a_name_in_boundary_tokens():
    assert gpt.encode("ava") == [gpt.BOUNDARY, 0, 21, 0, gpt.BOUNDARY]
    with pytest.raises(ValueError, match=r"'Ava'.*'A'"):
        gpt.encode("Ava")


def test_a_name_longer_than_the_context_is_cut_to_block_size():
    model = gpt.init_model(random.Random(0))
    loss = gpt.name_loss(model, gpt.encode("a" * 40))
    assert loss.data > 0


def test_a_tiny_temperature_always_picks_the_likeliest_letter():
    model = gpt.train(steps=20, seed=1).model
    names = gpt.sample_names(model, 6, temperature=1e-3, seed=4)
    assert len(set(names)) == 1
    assert set(names[0]) <= set(gpt.LETTERS)


def test_bad_arguments_say_what_was_wrong():
    with pytest.raises(ValueError, match="steps must be at least 1, got 0"):
        gpt.train(steps=0)
    with pytest.raises(ValueError, match="temperature must be positive, got -1"):
        gpt.sample_names(gpt.init_model(random.Random(0)), 1, temperature=-1)


def test_mean_loss_averages_the_loss_of_each_name():
    model = gpt.init_model(random.Random(0))
    each = [gpt.name_loss(model, gpt.encode(name)).data for name in ("ava", "emma", "zoe")]
    assert gpt.mean_loss(model, ["ava", "emma", "zoe"]) == pytest.approx(sum(each) / 3)
