"""Can every rubric of the course be graded as written? Asked before `assign` writes and `release`
builds anything, and by `assign --validate`.

A rubric cannot be graded as written when a test is broken (a setting, a target the reference
cannot evaluate, a domain with no input the reference accepts), when a known mistake passes the
test or is told another hint, or when the solutions fail a test (then the reference, or the
solution, is wrong). Each problem is one line naming the rubric file and the test.
"""

from coursekit.grading import grade_plan
from coursekit.grading.cases import draw_plan
from coursekit.grading.judgement import uncaught_mistakes
from coursekit.grading.report import failure_lines
from coursekit.grading.rubric import RubricError, assignment_folder, find_assignments, load_rubric
from coursekit.grading.settings import summary


class UngradableRubric(ValueError):
    """A rubric of the course cannot be graded as written; nothing was written."""


def draw(tests_dir, seed=None):
    """The plan of one assignment, broken tests included (grading would refuse them)."""
    return draw_plan(load_rubric(assignment_folder(tests_dir)), seed)


def test_problems(plan):
    """Tests that cannot run, and tests whose drawn inputs the reference refused."""
    refused = [f"{plan.rubric.shown_source}: [tests.{test.spec.name}] {test.rejected} drawn inputs were outside "
               "the target's domain (the reference refused them)" for test in plan.tests if test.rejected]
    return [*plan.problems, *refused]


def mistake_problems(plan):
    """Known mistakes that pass their test, or that a student making them is told another hint."""
    return [f"{plan.rubric.shown_source}: {missed}" for missed in uncaught_mistakes(plan)]


def solution_problems(plan, solutions):
    """Tests the solutions fail: the reference (or the solution) is wrong."""
    report = grade_plan(solutions, plan)
    if report.error:
        return [f"{plan.rubric.shown_source}: the solutions in {solutions} cannot be graded: {report.error}"]
    return [f"{plan.rubric.shown_source}: [tests.{test.name}] the solutions fail it, so the reference or the solution "
            f"is wrong ({(failure_lines(test) or ['no case passed'])[0]})"
            for test in report.tests if test.status != "passed"]


def assignment_problems(tests_dir, solutions=None, seed=None):
    """Every reason one assignment's rubric cannot be graded as written, one line each."""
    try:
        plan = draw(tests_dir, seed)
    except RubricError as error:
        return [str(error)]
    problems = test_problems(plan) + mistake_problems(plan)
    if solutions is not None and not plan.problems:
        problems += solution_problems(plan, solutions)
    return problems


def require_gradable(autograder, solutions):
    """Raise UngradableRubric with the first problem of any assignment of `autograder` (and a count)."""
    problems = [problem for folder in find_assignments(autograder).values()
                for problem in assignment_problems(folder, solutions)]
    if problems:
        raise UngradableRubric(summary(problems))
