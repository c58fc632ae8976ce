"""Scores: the reference gets everything, the untouched exercise nothing, each classic mistake its hint."""

import math
import random

import pytest
from grading_helpers import EXERCISE, HIDDEN_TESTS, REPO, TEST_NAMES, failures, full_marks_except, scores, solution_with
from hypothesis import given, settings
from hypothesis import strategies as st

from coursekit.grading import find_assignments, grade, plan_run
from coursekit.grading.checks.walk import input_grads
from coursekit.grading.protocol import ChainRequest, GraphRequest, TargetRequest

ASSIGNMENTS = find_assignments(HIDDEN_TESTS)


def test_every_chapter_is_an_assignment():
    chapters = {notebook.name.split("-")[0] for notebook in (REPO / "solutions").glob("ch*.ipynb")}
    assert chapters and chapters <= set(ASSIGNMENTS)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
@pytest.mark.parametrize("seed", [None, 1])
def test_the_reference_solution_gets_full_marks_on_the_hidden_tests(assignment, seed):
    report = grade(REPO / "solutions", HIDDEN_TESTS, seed=seed, assignment=assignment)
    assert report.error is None and report.assignment == assignment
    assert all(test.passed == test.total > 0 for test in report.tests), [(t.name, t.failures[:1]) for t in report.tests]
    assert report.score == report.max_score > 0
    assert report.passed and report.seed == (seed if seed is not None else report.seed)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_untouched_exercise_scores_zero_and_says_not_implemented(assignment):
    report = grade(EXERCISE, HIDDEN_TESTS, assignment=assignment)
    assert report.score == 0 and not report.passed
    for test in report.tests:
        if test.max_score:
            assert "not implemented yet" in failures(report, test.name), test.name


def test_the_value_tests_are_todays_ten_with_their_points():
    names = [test.name for name in ("ch1", "ch2", "ch4") for test in grade(EXERCISE, ASSIGNMENTS[name]).tests]
    assert [name for name in names if name in TEST_NAMES] == list(TEST_NAMES)
    points = {test.spec.name: test.spec.points for name in ("ch1", "ch2", "ch4") for test in plan_run(ASSIGNMENTS[name]).tests}
    assert sum(points[name] for name in TEST_NAMES) == 100


def test_hidden_cases_do_not_reveal_their_inputs():
    report = grade(EXERCISE, ASSIGNMENTS["ch1"])
    add = next(test for test in report.tests if test.name == "add")
    assert all(result.label.startswith(("hidden case: a + b", "hidden case: a + a")) for result in add.failures if not result.public)
    assert all("Value(" not in result.label for result in add.failures if not result.public)


def test_public_cases_show_inputs_expected_and_got(make_submission, tiny_tests):
    report = grade(make_submission(solution_with(__add__="return Value(self.data - other.data, (self, other), (1, 1))")), tiny_tests)
    assert failures(report, "add") == "data: expected -1, got 5 | "
    assert next(t for t in report.tests if t.name == "add").failures[0].label == "Value(2.0) + Value(-3.0)"


def test_the_cases_are_a_function_of_the_rubric_seed_and_seed_replays_another():
    default, again = plan_run(ASSIGNMENTS["ch2"]), plan_run(ASSIGNMENTS["ch2"])
    assert default.requests() == again.requests() and default.seed == 1202
    assert plan_run(ASSIGNMENTS["ch2"], seed=1202).requests() == default.requests()
    assert plan_run(ASSIGNMENTS["ch2"], seed=8).requests() != default.requests()


def test_the_same_code_gets_the_same_score_every_time(make_submission):
    folder = make_submission(solution_with(__pow__="return Value(self.data**n, (self,), (self.data ** (n - 1),))"))
    totals = {grade(folder, HIDDEN_TESTS, assignment="ch2").score for _ in range(3)}
    assert len(totals) == 1 and totals.pop() < 55


def test_per_student_cases_depend_on_the_student(tmp_path):
    text = (ASSIGNMENTS["ch1"] / "rubric.toml").read_text().replace("seed = 1101", "seed = 1101\nper_student = true")
    (tmp_path / "rubric.toml").write_text(text)
    alice, alice_again, bob = (plan_run(tmp_path, student=s) for s in ("alice", "alice", "bob"))
    assert alice.requests() == alice_again.requests() != bob.requests()
    assert plan_run(ASSIGNMENTS["ch1"], student="alice").requests() == plan_run(ASSIGNMENTS["ch1"], student="bob").requests()


def _requests(*assignments):
    return [case.request for name in assignments for test in plan_run(ASSIGNMENTS[name]).tests for case in test.cases]


def _inputs(request):
    return {name: numbers for name, _, numbers in getattr(request, "inputs", [])}


def test_boundaries_are_always_among_the_hidden_cases():
    requests = _requests("ch1", "ch2", "ch4")
    relu_inputs = [_inputs(r)["a"] for r in requests if getattr(r, "target", "") == "a.relu()"]
    assert 0.0 in relu_inputs and any(x < 0 for x in relu_inputs)
    exponents = [_inputs(r)["b"] for r in requests if getattr(r, "target", "") == "a ** b"]
    assert {0, -1, 0.5} <= set(exponents)
    assert min(_inputs(r)["a"] for r in requests if getattr(r, "target", "") == "a.log()") <= 1e-6
    reflected = {r.target for r in requests if isinstance(r, TargetRequest) and [v for _, v, _ in r.inputs] == [False, True]}
    assert reflected == {"a + b", "a * b", "a - b", "a / b"}
    assert any(isinstance(r, ChainRequest) and r.chain == 10_000 for r in requests)


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
    for name in ("ch1", "ch2"):
        for test in plan_run(ASSIGNMENTS[name], seed).tests:
            for case in test.cases:
                inputs = _inputs(case.request)
                expression = case.target.expression
                if "softplus" in expression or (expression == "a.relu()" and abs(inputs["a"]) < 1e-3):
                    continue
                out = case.expected.outputs[0]
                assert math.isclose(case.expected.data[out], _float_form(expression, inputs), rel_tol=1e-9, abs_tol=1e-12)
                values = [n for n in case.target.names if n in case.target.values]
                for value, grad in zip(values, input_grads(case.expected)):
                    h = 1e-6 * max(1.0, abs(inputs[value]))
                    h = 1e-3 * inputs[value] if expression == "a.log()" else h  # stay inside log's domain
                    up, down = dict(inputs, **{value: inputs[value] + h}), dict(inputs, **{value: inputs[value] - h})
                    slope = (_float_form(expression, up) - _float_form(expression, down)) / (2 * h)
                    assert math.isclose(grad, slope, rel_tol=1e-4, abs_tol=1e-5), (case.label, case.request)


def test_expected_backward_grads_agree_with_path_sums():
    """A node's grad is the sum over paths to the output of the product of local grads."""
    for case in plan_run(ASSIGNMENTS["ch4"], seed=11).tests[0].cases:
        if not isinstance(case.request, GraphRequest):
            continue
        nodes, calls = case.request.nodes, case.request.calls
        memo = {len(nodes) - 1: 1.0}

        def paths(i, memo=memo, nodes=nodes):  # d(output)/d(node i), summing over the users of i
            if i not in memo:
                memo[i] = sum(local * paths(user) for user, (_, children, locals_) in enumerate(nodes)
                              for child, local in zip(children, locals_) if child == i)
            return memo[i]

        expected = [paths(i) * (calls if i != len(nodes) - 1 else 1) for i in range(len(nodes))]
        assert all(math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) for a, b in zip(case.expected.grads, expected))


# -- hints for the classic mistakes ---------------------------------------------------------

MISTAKES = {
    "mul": ({"__mul__": """
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), (self.data, other.data))"""}, "the wrong way round"),
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



def test_overwriting_grads_is_not_also_told_to_stop_resetting_them(make_submission, boundary_tests):
    """On a graph where backward() is called twice both mistakes give the same grads; only one explains every case."""
    report = grade(make_submission(BACKWARD_MISTAKES["overwrite"][0]), boundary_tests)
    assert "instead of accumulating" in failures(report, "backward")
    assert "don't reset the grads" not in failures(report, "backward")


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
