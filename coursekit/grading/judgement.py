"""Step 4: judge each case once, into a CaseOutcome that everything downstream reads.

The score, the hints, the text, JSON, Gradescope and JUnit reports, the feedback pages and the
pictures all read the CaseOutcome of a case; none of them looks at the child's answer again.
A case is judged by its test's kind of check (coursekit.grading.checks); a failing case gets the
hint of the rubric's error hints (when the child raised) or of the known mistake that explains
the student's numbers (coursekit.grading.hints), else the check's word on which other operation
it fails because of.
"""

import logging
from dataclasses import dataclass

from coursekit.grading.checks.base import Mismatch, closeness
from coursekit.grading.hints import error_hint, explained_cases
from coursekit.grading.protocol import Failure

UNREADABLE = (KeyError, TypeError, ValueError, IndexError, AttributeError)  # an answer not in the shape it should be
UNJUDGED = "the grader could not judge this case (a fault in the grader, not in your code); your instructor has the details"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CaseOutcome:
    test: str
    label: str
    public: bool
    passed: bool
    problem: str = ""       # what is wrong, as the student reads it; for public cases with the numbers
    hint: str = ""          # what to change: the rubric's hint for this error or this known mistake
    expected: object = None  # the numbers the problem compares (None when it is not about numbers)
    got: object = None
    picture: object = None  # checks.base.CaseGraph: the student's graph of a failing visible case


def judge_test(test, answers, errors=()):
    """The CaseOutcome of every case of a TestPlan, from the child's answers {case key: answer};
    `errors` are the rubric's error hints for this test (its own, then the rubric's).

    A fault in the grader's own code while judging never reaches the student as a traceback: each
    case then fails with UNJUDGED, and the traceback is logged for the instructor."""
    try:
        return _judge_test(test, answers, errors)
    except Exception:
        log.exception("[tests.%s] could not be judged: a fault in the grader", test.spec.name)
        return tuple(CaseOutcome(case.test, case.label, case.public, False, UNJUDGED) for case in test.cases)


def _judge_test(test, answers, errors):
    spec = test.spec
    close = closeness(spec.tolerance)
    got = [answers[case.key] for case in test.cases]
    verdicts = [answer if isinstance(answer, Failure) else _verdict(spec, case, answer, close)
                for case, answer in zip(test.cases, got)]
    hints = [error_hint(errors, case, verdict) if isinstance(verdict, Failure) else ""
             for case, verdict in zip(test.cases, verdicts)]

    def agrees(case, wrong, answer):
        return mismatch(spec, case, wrong, answer, close) is None

    failing = [index for index, verdict in enumerate(verdicts) if isinstance(verdict, Mismatch)]
    mistake, explained = explained_cases(test, got, failing, agrees)
    for index in explained:
        hints[index] = mistake.hint
    for index in failing:
        hints[index] = hints[index] or spec.check.cause(spec, test.cases[index], got[index])
    return tuple(_outcome(spec, case, answer, verdict, hint, close)
                 for case, answer, verdict, hint in zip(test.cases, got, verdicts, hints))


def mismatch(spec, case, expected, got, close):
    """None when `got` answers the case like `expected`, else the Mismatch that says how not (an
    answer the check cannot compare with `expected`, such as a known mistake's of another shape,
    is an Unreadable one)."""
    try:
        spec.check.compare(spec, case, expected, got, close)
    except Mismatch as found:
        return found
    except UNREADABLE as error:
        return Unreadable(error)
    return None


class Unreadable(Mismatch):
    """An answer the check could not compare: `error` is what the check raised."""

    def __init__(self, error):
        super().__init__(UNJUDGED)
        self.error = error


def _verdict(spec, case, answer, close):
    """The student's answer judged. The child answers in the protocol's shapes, so an answer the
    check cannot read is a fault in the grader: logged for the instructor, UNJUDGED for the student."""
    found = mismatch(spec, case, case.expected, answer, close)
    if isinstance(found, Unreadable):
        log.error("[tests.%s] %s could not be judged: a fault in the grader", spec.name, case.label,
                  exc_info=found.error)
    return found


def _outcome(spec, case, answer, verdict, hint, close):
    if verdict is None:
        return CaseOutcome(case.test, case.label, case.public, True)
    if isinstance(verdict, Failure):
        return CaseOutcome(case.test, case.label, case.public, False, verdict.sentence, hint)
    picture = _picture(spec, case, answer, close) if case.public else None
    return CaseOutcome(case.test, case.label, case.public, False, verdict.sentence(case.public), hint,
                       verdict.expected, verdict.got, picture)


def _picture(spec, case, answer, close):
    try:
        return spec.check.picture(spec, case, answer, close)
    except (*UNREADABLE, Mismatch):  # an answer we cannot draw: no picture
        return None


def uncaught_mistakes(plan):
    """What is wrong with each known mistake a student making it would not be told about.

    The mistake's own answers are graded as a student's: it must fail a case and get its hint.
    """
    missed = []
    for test in plan.tests:
        errors = (*test.spec.errors, *plan.rubric.errors)
        mistakes = test.mistake_answers()
        for number, mistake in enumerate(test.spec.mistakes):
            raised = Failure("Mistake", "its code raised", None)
            answers = {case.key: wrong[number][0] if wrong[number] else raised for case, wrong in zip(test.cases, mistakes)}
            failing = [outcome for outcome in judge_test(test, answers, errors) if not outcome.passed]
            what = f"[tests.{test.spec.name}] mistake {number + 1} ({mistake.hint[:50]})"
            if not failing:
                missed.append(f"{what} passes every case")
            elif not any(outcome.hint == mistake.hint for outcome in failing):
                other = next((outcome.hint for outcome in failing if outcome.hint), "")
                missed.append(f"{what} gets " + (f"another hint: {other}" if other else "no hint"))
    return missed
