"""Draw the cases of a test from the rubric: fixed examples, boundaries, and random inputs.

The cases are a function of the assignment's seed (in its rubric, or `--seed`), the test's name
and, when the rubric asks for per-student cases, the student's id: never of the run, so the same
code always gets the same score. Every case carries the request the child receives and, apart,
the reference's answer, which never leaves this process.
"""

import random
from dataclasses import dataclass, field, replace

from coursekit.grading import graphs
from coursekit.grading.protocol import answer_from_json
from coursekit.grading.reference import answer, reference_namespace

MAX_DRAWS = 200  # attempts to find an input inside the operation's domain (log of a negative...)
OUTSIDE_DOMAIN = (ArithmeticError, ValueError)  # what the engine raises for the log of a negative...


@dataclass(frozen=True)
class Case:
    key: tuple           # (test name, number): how the child's answer comes back
    label: str           # what the student may see about this case
    public: bool         # public cases show inputs, expected and got
    request: tuple       # sent to the child (code and inputs only): a protocol request
    expected: tuple      # the reference's answer, a protocol answer like the child's
    target: object = None  # the targets.Target of the case (None for backward graphs)
    reference_request: tuple = None  # what the reference evaluated (for the known mistakes)

    @property
    def test(self):
        return self.key[0]


@dataclass(frozen=True)
class TestPlan:
    spec: object         # rubric.TestSpec
    cases: tuple
    rejected: int = 0    # random inputs the reference refused (outside the operation's domain)


@dataclass(frozen=True)
class Plan:
    rubric: object
    seed: int | None
    student: str | None
    tests: tuple                 # TestPlan, in the rubric's order
    namespace: dict = field(default=None, repr=False, compare=False)  # the reference's names
    mistake_answers: dict = field(default_factory=dict, repr=False, compare=False)  # filled by hints

    @property
    def needs(self):
        """Names the submission must define for anything to be graded."""
        uses_values = any(test.spec.check == "backward" or any(t.values for t in test.spec.targets) for test in self.tests)
        return ("Value",) if uses_values else ()

    def requests(self):
        """{case key: request} for every case, in order: what the sandbox runs."""
        return {case.key: case.request for test in self.tests for case in test.cases}


def draw_plan(rubric, seed=None, student=None):
    seed = rubric.seed if seed is None else seed  # None: the rubric draws nothing at random
    student = student if rubric.per_student else None
    namespace = None
    if any(not case.expected for test in rubric.tests for case in (*test.examples, *test.boundaries)) or \
            any(test.cases for test in rubric.tests):
        namespace = reference_namespace(rubric.folder)
    tests = tuple(_test_plan(rubric, spec, namespace, random.Random(f"{seed}/{student or ''}/{spec.name}"))
                  for spec in rubric.tests)
    return Plan(rubric, seed, student, tests, namespace)


def _test_plan(rubric, spec, namespace, rng):
    if spec.problem:
        return TestPlan(spec, ())
    draw = _backward_cases if spec.check == "backward" else _target_cases
    try:
        cases, rejected = draw(spec, namespace, rng)
    except _Impossible as error:
        return TestPlan(replace(spec, problem=f"{rubric.source}:{spec.line}: [tests.{spec.name}] {error}"), ())
    return TestPlan(spec, tuple(cases), rejected)


class _Impossible(Exception):
    """The reference cannot answer a case the rubric fixes, or no drawn input suits it."""

    def __init__(self, message, outside_domain=False):
        super().__init__(message)
        self.outside_domain = outside_domain


def _expected(namespace, fixed_expected, request, what):
    if fixed_expected:
        try:
            return answer_from_json(fixed_expected)
        except ValueError:
            raise _Impossible(f"{what}: its expected answer is not JSON") from None
    try:
        return answer(namespace, request)
    except Exception as error:  # the instructor's code may raise anything: it is reported, not raised
        message = f"{what}: the reference raised {type(error).__name__}: {error}"
        raise _Impossible(message, isinstance(error, OUTSIDE_DOMAIN)) from None


# -- targets ----------------------------------------------------------------------------------


def _target_cases(spec, namespace, rng):
    cases = []
    for fixed, public in [(case, True) for case in spec.examples] + [(case, spec.show_inputs) for case in spec.boundaries]:
        target = spec.targets[fixed.target]
        label = (fixed.label or target.label(fixed.inputs)) if public else f"hidden case: {target.describe()}"
        cases.append(_target_case(spec, len(cases), fixed.target, fixed.inputs, label, public, namespace, fixed.expected))
    rejected = 0
    for _ in range(spec.cases):
        for _attempt in range(MAX_DRAWS):
            index = rng.randrange(len(spec.targets))
            target = spec.targets[index]
            inputs = {name: _sample(spec.domains[name], rng) for name in target.names}
            label = target.label(inputs) if spec.show_inputs else f"hidden case: {target.describe()}"
            try:
                cases.append(_target_case(spec, len(cases), index, inputs, label, spec.show_inputs, namespace))
                break
            except _Impossible as error:
                if not error.outside_domain:
                    raise
                rejected += 1
        else:
            raise _Impossible(f"no input in its domains that the reference accepts after {MAX_DRAWS} draws")
    return cases, rejected


def _target_case(spec, number, index, inputs, label, public, namespace, fixed_expected=""):
    target, reference = spec.targets[index], spec.references[index]
    request, reference_request = target.request(inputs), reference.request(inputs)
    expected = _expected(namespace, fixed_expected, reference_request, f"case {label}")
    return Case((spec.name, number), label, public, request, expected, target, reference_request)


def _sample(domain, rng):
    kind = domain[0]
    if kind == "choices":
        return rng.choice(domain[1])
    if kind == "list":
        low, high = domain[1]
        return [_sample(domain[2], rng) for _ in range(rng.randint(low, high))]
    low, high = rng.choice(domain[1])
    return round(rng.uniform(low, high), 3)


# -- backward ---------------------------------------------------------------------------------


def _backward_cases(spec, namespace, rng):
    cases = []
    chain = spec.domains["chain"]
    for fixed, public in [(case, True) for case in spec.examples] + [(case, spec.show_inputs) for case in spec.boundaries]:
        label, request = graphs.shape_request(fixed.inputs["shape"], chain)
        cases.append(_backward_case(spec, len(cases), label, public, request, namespace, fixed.expected))
    for _ in range(spec.cases):
        nodes = graphs.random_graph(lambda: _size(spec.domains["nodes"], rng), lambda: _sample(spec.domains["local"], rng), rng)
        label = f"backward on a random graph of {len(nodes)} nodes"
        cases.append(_backward_case(spec, len(cases), label, spec.show_inputs, graphs.graph_request(nodes), namespace))
    return cases, 0


def _size(domain, rng):
    if domain[0] == "intervals":
        low, high = rng.choice(domain[1])
        return rng.randint(int(low), int(high))
    return int(_sample(domain, rng))


def _backward_case(spec, number, label, public, request, namespace, fixed_expected=""):
    expected = _expected(namespace, fixed_expected, request, label)
    return Case((spec.name, number), label if public else f"hidden case: {label}", public, request, expected, None, request)
