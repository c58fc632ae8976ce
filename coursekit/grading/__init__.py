"""The autograder: one straight line per submission and assignment.

read the rubric -> draw the cases (and the reference's answers) -> load the submission -> stage it
in a fresh folder -> run the cases in a sandboxed child -> compare with the reference here ->
hint -> score -> report.
"""

import time

from coursekit.grading.cases import draw_plan
from coursekit.grading.compare import compare
from coursekit.grading.hints import add_hints
from coursekit.grading.load import SubmissionError, load_submission
from coursekit.grading.rubric import RubricError, assignment_folder, find_assignments, load_rubric
from coursekit.grading.sandbox import run_probe
from coursekit.grading.score import GradeReport, score
from coursekit.grading.stage import stage_submission

__all__ = [
    "GradeReport", "RubricError", "SubmissionError",
    "grade", "grade_plan", "plan_run", "find_assignments", "default_tests_dir",
]


def default_tests_dir(cwd=None):
    """./autograder when it holds assignments (the instructor's copy), else the public tests."""
    from pathlib import Path

    from coursekit.course.layout import CourseLayout

    course = CourseLayout(Path(cwd or Path.cwd()))
    for folder in (course.autograder, course.public_tests, course.exercises / course.PUBLIC_TESTS):
        if find_assignments(folder):
            return folder
    raise RubricError("no tests found: give --tests (an assignment folder, or autograder/), or run in a course "
                      "folder with autograder/ or public-tests/")


def plan_run(tests=None, seed=None, assignment=None, student=None, **limits):
    """Read one assignment's rubric and draw its cases (shared by every submission of a run).

    `limits` overrides the rubric's [limits] (case_seconds, submission_seconds, memory_mb, output_kb).
    """
    folder = assignment_folder(default_tests_dir() if tests is None else tests, assignment)
    rubric = load_rubric(folder)
    if limits:
        rubric = rubric.with_limits(**limits)
    return draw_plan(rubric, seed, student)


def grade(submission, tests=None, seed=None, assignment=None, student=None, **limits):
    """Grade one submission (folder, .py or .ipynb) on one assignment; returns a GradeReport."""
    return grade_plan(submission, plan_run(tests, seed, assignment, student, **limits), student)


def grade_plan(path, plan, student=None, on_case=None):
    """Grade one submission with the cases of `plan`; on_case(spec, case, answer, result) sees every
    case (feedback draws a failing case's graph from the child's own numbers)."""
    started = time.perf_counter()
    if plan.rubric.per_student and student != plan.student:
        plan = draw_plan(plan.rubric, plan.seed, student)
    submission = load_submission(path, plan.rubric.code)
    with stage_submission(submission) as folder:
        run = run_probe(folder, submission.code, plan.requests(), plan.rubric.limits, plan.needs)
    results = {}
    if run.failure is None:
        for test in plan.tests:
            mine = [run.answers[case.key] for case in test.cases]
            results[test.spec.name] = add_hints(plan, test, compare(test, mine), mine)
            for case, answer, result in zip(test.cases, mine, results[test.spec.name]) if on_case else ():
                on_case(test.spec, case, answer, result)
    tests = score(plan.tests, results)
    return GradeReport(
        submission=submission.name, assignment=plan.rubric.name, seed=plan.seed, student=plan.student,
        tests=tests, score=round(sum(test.score for test in tests), 2),
        max_score=round(sum(test.max_score for test in tests), 2),
        error=None if run.failure is None else f"could not import the submission: {run.failure.sentence}",
        notes=tuple(run.notes), output=run.output, elapsed=round(time.perf_counter() - started, 3),
        tests_source=str(plan.rubric.source),
    )
