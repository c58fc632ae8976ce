"""Draw the cases of a test from the rubric: fixed examples, boundaries, and random inputs.

The cases are a function of the assignment's seed (in its rubric, or `--seed`), the test's name
and, when the rubric asks for per-student cases, the student's id: never of the run, so the same
code always gets the same score. Every case carries the request the child receives and, apart,
the reference's answer, which never leaves this process.

The known mistakes' answers are drawn with the plan too, in a thread of their own that starts once
the cases are drawn: on a 10^5-node chain (walked in every order) they take seconds, which a
submission that fails nothing never waits for, and which run while the first submission's child works.
"""

import random
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field, replace

from coursekit.grading.protocol import answers_from_json
from coursekit.grading.reference import answer, mistake_namespace, reference_namespace

VARIANT_FAILS = (Exception,)  # a mistake's code may fail anywhere its mistake leads; it then explains nothing


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
    mistakes: Future = field(default_factory=Future, repr=False, compare=False)  # see mistake_answers

    def mistake_answers(self):
        """For each case, each known mistake's answers to it (None where its code fails): one per way
        the case may be walked (Check.reorderings), since a mistake's numbers may depend on the walk's
        order. Waits until the plan's thread has drawn them."""
        return self.mistakes.result()


@dataclass(frozen=True)
class Plan:
    """Everything a run grades against, drawn before any submission is graded and never changed."""

    rubric: object
    seed: int | None
    student: str | None
    tests: tuple                 # TestPlan, in the rubric's order

    @property
    def needs(self):
        """Names the submission must define for anything to be graded."""
        return ("Value",) if any(test.spec.check.needs_value_class(test.spec) for test in self.tests) else ()

    @property
    def problems(self):
        """Why tests of the rubric cannot be graded as written, one line each naming file, line and test."""
        return [test.spec.problem for test in self.tests if test.spec.problem]

    def requests(self):
        """{case key: request} for every case, in order: what the sandbox runs."""
        return {case.key: case.request for test in self.tests for case in test.cases}


class Impossible(Exception):
    """The reference cannot answer a case the rubric fixes, or no drawn input suits it."""

    def __init__(self, message, outside_domain=False):
        super().__init__(message)
        self.outside_domain = outside_domain


def draw_plan(rubric, seed=None, student=None):
    """The cases of every test, the reference's answers and the known mistakes' answers."""
    seed = rubric.seed if seed is None else seed  # None: the rubric draws nothing at random
    student = student if rubric.per_student else None
    namespace = None
    if any(not case.expected for test in rubric.tests for case in (*test.examples, *test.boundaries)) or \
            any(test.cases for test in rubric.tests):
        namespace = reference_namespace(rubric.folder)
    tests = tuple(_test_plan(rubric, spec, namespace, random.Random(f"{seed}/{student or ''}/{spec.name}"))
                  for spec in rubric.tests)
    try:
        threading.Thread(target=_draw_mistakes, args=(tests, namespace), name="coursekit-mistakes", daemon=True).start()
    except RuntimeError:  # no threads (a browser's Pyodide kernel): drawn here, before the plan is handed on
        _draw_mistakes(tests, namespace)
    return Plan(rubric, seed, student, tests)


def _test_plan(rubric, spec, namespace, rng):
    if spec.problem:
        return TestPlan(spec, ())
    try:
        cases, rejected = spec.check.draw(spec, namespace, rng)
    except Impossible as error:
        return TestPlan(replace(spec, problem=f"{rubric.shown_source}:{spec.line}: [tests.{spec.name}] {error}"), ())
    return TestPlan(spec, tuple(cases), rejected)


def _draw_mistakes(tests, namespace):
    """Fill each test's mistake answers, in the rubric's order (daemon: a run that ends sooner drops them)."""
    for test in tests:
        try:
            test.mistakes.set_result(tuple(_mistake_answers(test.spec, index, case, namespace)
                                           for index, case in enumerate(test.cases)))
        except BaseException as error:  # not the mistake's code failing (that is None): a bug, raised where it is read
            test.mistakes.set_exception(error)


def _mistake_answers(spec, index, case, namespace):
    """What each known mistake answers to the case, as the same case walked in each order a correct
    answer does not depend on: its code run over the reference, or, in public tests, the answer
    frozen for this example."""
    requests = (case.reference_request, *spec.check.reorderings(case.reference_request))
    answers = []
    for mistake in spec.mistakes:
        if not mistake.code:
            frozen = mistake.answers[index] if index < len(mistake.answers) else ""
            answers.append(answers_from_json(frozen) if frozen else None)
            continue
        try:
            variant = mistake_namespace(namespace, mistake)
            answers.append(tuple(answer(variant, request) for request in requests))
        except VARIANT_FAILS:
            answers.append(None)
    return tuple(answers)
