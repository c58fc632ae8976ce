"""Hints: when a case fails, does it look like one of the mistakes the rubric knows?

Two kinds, both data in the rubric. An error hint matches the error the child reported (its
exception name, a piece of its message, the form of the case). A known mistake is a variant of
the reference (e.g. `*` with its local gradients the wrong way round) whose answers are drawn with
the plan (coursekit.grading.cases); its hint is given when it explains the student's numbers on
every case of the test where the student gave numbers, so that a mistake which merely agrees on
one case is not blamed.
"""

from coursekit.grading.protocol import Failure

SOME_ORDER = "agrees in some order of the walk"


def error_hint(errors, case, failure):
    """The hint of the first error hint matching the child's Failure on this case, or ""."""
    message = str(failure.message)
    for entry in errors:
        if entry.error == failure.error and entry.contains in message and \
                (not entry.form or (case.target is not None and case.target.text == entry.form)):
            return entry.hint
    return ""


def explained_cases(test, answers, failing, agrees):
    """(mistake, indices of the failing cases it explains) for the first known mistake of the test
    that agrees with the student wherever both gave numbers; (None, []) when none does.

    `answers` are the student's, in case order; `agrees(case, mistake_answer, answer)` judges one.
    """
    numeric = [index for index, answer in enumerate(answers) if not isinstance(answer, Failure)]
    if not failing or not test.spec.mistakes:
        return None, []
    mistakes = test.mistake_answers()
    for number, mistake in enumerate(test.spec.mistakes):
        agreements = {index: _agrees(test.cases[index], mistakes[index][number], answers[index], agrees)
                      for index in numeric}
        if all(agreement is not False for agreement in agreements.values()):
            matched = [index for index in failing if agreements[index] in (True, SOME_ORDER)]
            if any(agreements[index] is True for index in matched):
                return mistake, matched
    return None, []


def _agrees(case, wrong, answer, agrees):
    """Does the mistake give the student's answer on this case, walked in some order? None when the
    mistake cannot run on it; SOME_ORDER when its answers depend on the walk's order and none is the
    student's (their walk takes yet another order: the case cannot refute the mistake).
    `wrong` is the mistake's answers to the case, one per order of the walk."""
    if wrong is None:
        return None
    if any(agrees(case, walked, answer) for walked in wrong):
        return True
    return SOME_ORDER if any(not agrees(case, walked, wrong[0]) for walked in wrong[1:]) else False
