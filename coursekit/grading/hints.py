"""Hints: when a case fails, does it look like one of the mistakes the rubric knows?

Two kinds, both data in the rubric. An error hint matches the error the child reported (its
exception name, a piece of its message, the form of the case). A known mistake is a variant of
the reference (e.g. `*` with its local gradients the wrong way round); its answers are computed
here, and its hint is given when it explains the student's numbers on every case of the test
where the student gave numbers, so that a mistake which merely agrees on one case is not blamed.
"""

from dataclasses import replace

from coursekit.grading.compare import compare, judge
from coursekit.grading.protocol import Failure, answer_from_json
from coursekit.grading.reference import answer, mistake_namespace

VARIANT_FAILS = (Exception,)  # a variant may fail anywhere its mistake leads; it then explains nothing


def add_hints(plan, test, results, answers):
    """The results of one TestPlan with the hint of each failing case filled in."""
    results = list(results)
    errors = (*test.spec.errors, *plan.rubric.errors)
    for index, (case, result, got) in enumerate(zip(test.cases, results, answers)):
        if not result.passed and isinstance(got, Failure):
            results[index] = replace(result, hint=error_hint(errors, case, got))
    explained = _explaining_mistake(plan, test, results, answers)
    if explained is not None:
        mistake, matches = explained
        for index in matches:
            results[index] = replace(results[index], hint=mistake.hint)
    return results


def error_hint(errors, case, got):
    message = str(got.message)
    for entry in errors:
        if entry.error == got.error and entry.contains in message and \
                (not entry.form or (case.target is not None and case.target.text == entry.form)):
            return entry.hint
    return ""


def _explaining_mistake(plan, test, results, answers):
    """(mistake, indices of the failing cases it matches) for the first mistake that explains them all."""
    numeric = [i for i, got in enumerate(answers) if not isinstance(got, Failure)]
    failing = [i for i in numeric if not results[i].passed]
    if not failing:
        return None
    for number, mistake in enumerate(test.spec.mistakes):
        agreements = {i: _agrees(plan, test, number, i, answers[i]) for i in numeric}
        if all(agreement is not False for agreement in agreements.values()):
            matched = [i for i in failing if agreements[i]]
            if matched:
                return mistake, matched
    return None


def _agrees(plan, test, number, index, got):
    """Does the mistake give the student's answer on this case? None when the mistake cannot run on it."""
    wrong = mistake_answer(plan, test, number, index)
    if wrong is None:
        return None
    return judge(test.spec, test.cases[index], wrong, got) is None


def mistake_answer(plan, test, number, index):
    """The answer of the test's mistake `number` on case `index`, computed once per plan."""
    mistake = test.spec.mistakes[number]
    if not mistake.code:  # public tests carry the mistake's answers, not its code
        frozen = mistake.answers[index] if index < len(mistake.answers) else ""
        return answer_from_json(frozen) if frozen else None
    key = (test.spec.name, number, index)
    if key not in plan.mistake_answers:
        try:
            namespace = mistake_namespace(plan.namespace, test.spec.mistakes[number])
            plan.mistake_answers[key] = answer(namespace, test.cases[index].reference_request)
        except VARIANT_FAILS:
            plan.mistake_answers[key] = None
    return plan.mistake_answers[key]


def uncaught_mistakes(plan):
    """What is wrong with each known mistake a student making it would not be told about.

    The mistake's own answers are graded as a student's: it must fail a case and get its hint.
    """
    missed = []
    for test in plan.tests:
        for number, mistake in enumerate(test.spec.mistakes):
            answers = [mistake_answer(plan, test, number, index) or Failure("Mistake", "its code raised", None)
                       for index in range(len(test.cases))]
            failing = [result for result in add_hints(plan, test, compare(test, answers), answers) if not result.passed]
            what = f"[tests.{test.spec.name}] mistake {number + 1} ({mistake.hint[:50]})"
            if not failing:
                missed.append(f"{what} passes every case")
            elif not any(result.hint == mistake.hint for result in failing):
                other = next((result.hint for result in failing if result.hint), "")
                missed.append(f"{what} gets " + (f"another hint: {other}" if other else "no hint"))
    return missed
