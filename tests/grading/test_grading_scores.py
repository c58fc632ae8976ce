"""Scores: the reference gets everything, the untouched exercise nothing, each classic mistake its hint."""

import math
import random

import pytest
from grading_helpers import EXERCISE, HIDDEN_TESTS, REPO, failures, full_marks_except, scores, solution_with
from hypothesis import given, settings
from hypothesis import strategies as st

from coursekit.grading import grade, plan_run
from coursekit.grading.forms import TEST_NAMES


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_reference_solution_gets_full_marks_on_the_hidden_tests(seed):
    report = grade(REPO / "solutions", HIDDEN_TESTS, seed=seed)
    assert report.error is None
    assert [test.name for test in report.tests] == list(TEST_NAMES)
    assert all(test.passed == test.total > 0 for test in report.tests), [(t.name, t.failures[:1]) for t in report.tests]
    assert report.score == report.max_score == 100
    assert report.passed and report.seed == seed


def test_the_untouched_exercise_scores_zero_and_says_not_implemented():
    report = grade(EXERCISE, HIDDEN_TESTS, seed=0)
    assert report.score == 0 and not report.passed
    for name in TEST_NAMES:
        assert "not implemented yet" in failures(report, name)


def test_hidden_cases_do_not_reveal_their_inputs():
    report = grade(EXERCISE, HIDDEN_TESTS, seed=0)
    add = next(test for test in report.tests if test.name == "add")
    assert all(result.label.startswith(("hidden case: a + b", "hidden case: a + a")) for result in add.failures)
    assert all("Value(" not in result.label for result in add.failures)


def test_public_cases_show_inputs_expected_and_got(make_submission, tiny_tests):
    report = grade(make_submission(solution_with(__add__="return Value(self.data - other.data, (self, other), (1, 1))")), tiny_tests)
    assert failures(report, "add") == "data: expected -1, got 5 | "
    assert next(t for t in report.tests if t.name == "add").failures[0].label == "Value(2.0) + Value(-3.0)"


def test_the_seed_replays_the_same_cases_and_another_seed_draws_new_ones():
    first, again, other = (plan_run(HIDDEN_TESTS, seed) for seed in (7, 7, 8))
    assert [c.request for c in first.cases] == [c.request for c in again.cases]
    assert [c.request for c in first.cases] != [c.request for c in other.cases]


def test_boundaries_are_always_among_the_hidden_cases():
    requests = [case.request for case in plan_run(HIDDEN_TESTS, seed=3).cases]
    relu_inputs = [r["numbers"][0] for r in requests if r.get("expression") == "a.relu()"]
    assert 0.0 in relu_inputs and any(x < 0 for x in relu_inputs)
    exponents = [r["numbers"][1] for r in requests if r.get("expression") == "a ** b"]
    assert {0, -1, 0.5} <= set(exponents)
    assert min(r["numbers"][0] for r in requests if r.get("expression") == "a.log()") <= 1e-6
    reflected = {r["expression"] for r in requests if r.get("values") == "b"}
    assert reflected == {"a + b", "a * b", "a - b", "a / b"}
    assert any(r.get("chain") == 100_000 for r in requests)


# -- the expected values themselves, against an independent oracle --------------------------


def _float_form(expression, inputs):
    """Evaluate a form on plain floats (math module), the oracle the reference is checked against."""

    class Number(float):
        log = lambda self: math.log(self)  # noqa: E731
        exp = lambda self: math.exp(self)  # noqa: E731
        relu = lambda self: max(0.0, float(self))  # noqa: E731

    return float(eval(expression, {}, {name: Number(x) for name, x in inputs.items()}))


@settings(deadline=None, max_examples=15)
@given(seed=st.integers(0, 10_000))
def test_expected_gradients_agree_with_central_differences(seed):
    for case in plan_run(HIDDEN_TESTS, seed).cases:
        if case.form is None or (case.form.expression == "a.relu()" and abs(case.request["numbers"][0]) < 1e-3):
            continue
        inputs = dict(zip(case.form.inputs, case.request["numbers"]))
        assert math.isclose(case.expected.data, _float_form(case.form.expression, inputs), rel_tol=1e-9, abs_tol=1e-12)
        for name, grad in zip(case.form.values, case.expected.input_grads):
            h = 1e-6 * max(1.0, abs(inputs[name]))
            h = 1e-3 * inputs[name] if case.form.expression == "a.log()" else h  # stay inside log's domain
            up, down = dict(inputs, **{name: inputs[name] + h}), dict(inputs, **{name: inputs[name] - h})
            slope = (_float_form(case.form.expression, up) - _float_form(case.form.expression, down)) / (2 * h)
            assert math.isclose(grad, slope, rel_tol=1e-4, abs_tol=1e-5), (case.label, case.request)


def test_expected_backward_grads_agree_with_path_sums():
    """A node's grad is the sum over paths to the output of the product of local grads."""
    for case in plan_run(HIDDEN_TESTS, seed=11).cases:
        if case.test != "backward" or "nodes" not in case.request:
            continue
        nodes, calls = case.request["nodes"], case.request["calls"]
        memo = {len(nodes) - 1: 1.0}

        def paths(i, memo=memo, nodes=nodes):  # d(output)/d(node i), summing over the users of i
            if i not in memo:
                memo[i] = sum(local * paths(user) for user, (_, children, locals_) in enumerate(nodes)
                              for child, local in zip(children, locals_) if child == i)
            return memo[i]

        expected = [paths(i) * (calls if i != len(nodes) - 1 else 1) for i in range(len(nodes))]
        assert all(math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) for a, b in zip(case.expected, expected))


# -- hints for the classic mistakes ---------------------------------------------------------

MISTAKES = {
    "mul": ({"__mul__": """
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), (self.data, other.data))"""}, "not swapped"),
    "pow": ({"__pow__": "return Value(self.data**n, (self,), (self.data ** (n - 1),))"}, "missing the factor n"),
    "exp": ({"exp": "return Value(math.exp(self.data), (self,), (self.data,))"}, "taken from the input"),
    "log": ({"log": "return Value(math.log(self.data), (self,), (self.data,))"}, "1/a, not a"),
    "relu": ({"relu": "return Value(max(0, self.data), (self,), (float(self.data >= 0),))"}, "at 0 must be 0"),
}


@pytest.mark.parametrize("test", MISTAKES)
def test_each_classic_op_mistake_gets_its_hint(test, make_submission, boundary_tests):
    bodies, hint = MISTAKES[test]
    report = grade(make_submission(solution_with(**bodies)), boundary_tests)
    assert hint in failures(report, test)
    assert full_marks_except(report, test, "neg", "sub", "div")  # derived ops may use the broken one


def test_pow_using_n_minus_1_as_the_factor_gets_its_hint(make_submission, boundary_tests):
    report = grade(make_submission(solution_with(__pow__="return Value(self.data**n, (self,), ((n - 1) * self.data ** (n - 1),))")), boundary_tests)
    assert "the factor is n" in failures(report, "pow")


RECURSIVE_TOPO = """
    topo, visited = [], set()
    def build(v):
        if v not in visited:
            visited.add(v)
            for child in v._children:
                build(child)
            topo.append(v)
    build(self)
    self.grad = 1
    for node in reversed(topo):
        for child, local in zip(node._children, node._local_grads):
"""
# backward zeroing the graph's grads before the (correct) walk of the solution
RESETTING = """
_solution_backward = Value.backward
def _resetting_backward(self):
    stack, seen = [self], set()
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            node.grad = 0
            stack.extend(node._children)
    _solution_backward(self)
Value.backward = _resetting_backward
"""
BACKWARD_MISTAKES = {  # mistake -> (source, hint)
    "overwrite": (solution_with(backward=RECURSIVE_TOPO + "            child.grad = local * node.grad"), "instead of accumulating"),
    "recursive": (solution_with(backward=RECURSIVE_TOPO + "            child.grad += local * node.grad"), "explicit stack"),
    "breadth_first": (solution_with(backward="""
        self.grad = 1
        queue, seen = [self], {self}
        for node in queue:
            for child, local in zip(node._children, node._local_grads):
                child.grad += local * node.grad
                if child not in seen:
                    seen.add(child)
                    queue.append(child)"""), "before all the nodes that use it"),
    "resets": (solution_with() + RESETTING, "don't reset the grads"),
    "unreversed": (solution_with().replace("for node in reversed(topo):", "for node in topo:"), "wrong direction"),
}


@pytest.mark.parametrize("mistake", BACKWARD_MISTAKES)
def test_each_classic_backward_mistake_gets_its_hint(mistake, make_submission, boundary_tests):
    source, hint = BACKWARD_MISTAKES[mistake]
    report = grade(make_submission(source), boundary_tests)
    assert hint in failures(report, "backward")
    assert full_marks_except(report, "backward")  # a broken backward costs only the backward points


def test_a_broken_add_costs_only_the_add_points(make_submission, tiny_tests):
    report = grade(make_submission(solution_with(__add__="return Value(0.0)")), tiny_tests)
    assert scores(report)["add"] == 0 and full_marks_except(report, "add", "sub")


def test_partial_credit_is_the_fraction_of_cases_passed(make_submission, boundary_tests):
    # relu wrong only at 0: one of its four boundary cases
    report = grade(make_submission(solution_with(relu="return Value(max(0, self.data), (self,), (float(self.data >= 0),))")), boundary_tests)
    relu = next(test for test in report.tests if test.name == "relu")
    assert (relu.passed, relu.total, relu.score) == (3, 4, 3.75)  # 3/4 of its 5 points


def test_random_submissions_never_score_more_than_the_reference(make_submission, tiny_tests):
    rng = random.Random(0)
    body = f"return Value(self.data * other.data + {rng.random()}, (self, other), (other.data, self.data))"
    report = grade(make_submission(solution_with(__mul__=body)), tiny_tests)
    assert scores(report)["mul"] == 0
