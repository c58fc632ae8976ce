"""The kinds of check a rubric's test can ask for (`check = "..."`), one module each.

Each is a class (coursekit.grading.checks.base.Check) that reads its settings from the rubric,
draws its cases (the request each sends to the child, and the reference's answer), judges one
case's answer, says what a failure means to the student, and draws the student's graph of a
failing case. Adding a kind: one module here with its class, and one line in CHECKS.

    base         the Check interface, Mismatch (what a failure says), CaseGraph (a picture's numbers)
    walk         gradients by our own walk over the student's children and local gradients
    values       a target's outputs and their gradients with respect to every input
    local_grads  a primitive operation: its children and local gradients themselves
    backward     the student's backward() on graphs built with their constructor
"""

from coursekit.grading.checks.backward import Backward
from coursekit.grading.checks.local_grads import LocalGrads
from coursekit.grading.checks.values import Values

CHECKS = {check.name: check for check in (Values(), LocalGrads(), Backward())}
