"""The rubric file: what it accepts, and the message for each kind of mistake in it."""

import pytest
from grading_helpers import HIDDEN_TESTS

from coursekit.grading import RubricError, plan_run
from coursekit.grading.rubric import PUBLIC_TESTS, load_rubric

HIDDEN = (HIDDEN_TESTS / "rubric.toml").read_text()


def rubric_dir(tmp_path, text):
    (tmp_path / "rubric.toml").write_text(text)
    return tmp_path


@pytest.mark.parametrize("change, message", [
    (lambda t: t.replace("[tests.relu]", "[tests.tanh]"), "must have exactly add, mul"),
    (lambda t: t + "\n[grading]\nx = 1\n", "unknown section(s) ['grading']"),
    (lambda t: t.replace("case_seconds = 5", "case_seconds = -1"), "[limits] case_seconds must be a positive number"),
    (lambda t: t.replace("case_seconds = 5", "case_second = 5"), "[limits] has an unknown key 'case_second'"),
    (lambda t: t.replace("[tests.log]\npoints = 5", "[tests.log]\npoints = 'five'"), "[tests.log] needs points"),
    (lambda t: t.replace("[tests.exp]\npoints = 5\ncases = 6", "[tests.exp]\npoints = 5\ncases = 2.5"), "[tests.exp] cases must be a whole number"),
    (lambda t: t.replace("a = [-5.0, 5.0]", "a = [5.0, -5.0]", 1), "a must be [low, high]"),
    (lambda t: t.replace("b = [[-5.0, -0.5], [0.5, 5.0]]", ""), "[tests.div] draws random cases: it needs the domain(s) ['b']"),
    (lambda t: t.replace("[tests.neg]\npoints = 5", "[tests.neg]\npoints = 5\nexamples = ['Value(2) + 1']"), "is not one of the forms of neg (-a)"),
    (lambda t: t.replace("[tests.neg]\npoints = 5", "[tests.neg]\npoints = 5\nexamples = ['-Value(x)']"), "x is not a number"),
    (lambda t: t.replace("[tests.backward]\npoints = 30", "[tests.backward]\npoints = 30\nexamples = ['star']"), "'star' is not one of the graphs"),
    (lambda t: t.replace("[tests.add]\npoints = 10\ncases = 8\nboundaries = true", "[tests.add]\npoints = 10"), "[tests.add] has no cases"),
    (lambda t: t.replace("[tests.add]\npoints = 10", "[tests.add]\npoints = 10\nweight = 2"), "[tests.add] has unknown key(s) ['weight']"),
    (lambda t: t + "[oops", "not valid TOML"),
])
def test_rubric_mistakes_are_named(change, message, tmp_path):
    changed = change(HIDDEN)
    assert changed != HIDDEN
    with pytest.raises(RubricError) as error:
        load_rubric(rubric_dir(tmp_path, changed))
    assert message in str(error.value) and "rubric.toml" in str(error.value)


def test_a_folder_without_a_rubric_is_named(tmp_path):
    with pytest.raises(RubricError, match="no rubric.toml in this folder"):
        load_rubric(tmp_path)


def test_the_shipped_rubrics_load_and_the_public_one_has_only_fixed_examples():
    public, hidden = load_rubric(PUBLIC_TESTS), load_rubric(HIDDEN_TESTS)
    assert sum(t.points for t in public.tests) == sum(t.points for t in hidden.tests) == 100
    assert all(t.examples and not t.cases and not t.boundaries for t in public.tests)
    assert all(case.public for case in plan_run(PUBLIC_TESTS, seed=1).cases)
    assert not any(case.public for case in plan_run(HIDDEN_TESTS, seed=1).cases)


def test_examples_are_read_like_student_code():
    cases = {case.label: case for case in plan_run(PUBLIC_TESTS, seed=0).cases}
    reflected = cases["3 + Value(0.5)"]
    assert reflected.request == {"kind": "op", "expression": "a + b", "inputs": "ab", "values": "b", "numbers": [3, 0.5]}
    assert cases["Value(2.0) ** -1"].expected.local_grads == (-0.25,)


def test_domains_unions_and_choices(tmp_path):
    text = HIDDEN.replace("cases = 8\nboundaries = true\na = [0.1, 5.0]", "cases = 30\nboundaries = false\na = {choices = [2.0]}")
    assert text != HIDDEN
    plan = plan_run(rubric_dir(tmp_path, text), seed=0)
    pow_cases = [case for case in plan.cases if case.test == "pow"]
    assert len(pow_cases) == 30 and {case.request["numbers"][0] for case in pow_cases} == {2.0}
    divisors = [case.request["numbers"][1] for case in plan.cases if case.test == "div"]
    assert divisors and all(0.5 <= abs(b) <= 5.0 for b in divisors)
