"""The autograder: one straight line per submission.

load the submission -> stage it in a fresh folder -> run the probe in a sandboxed child ->
compare its numbers with the reference engine here -> score -> report.
"""

import time

from coursekit.grading.cases import draw_plan
from coursekit.grading.compare import compare
from coursekit.grading.load import SubmissionError, load_submission
from coursekit.grading.rubric import PUBLIC_TESTS, RubricError, default_tests_dir, load_rubric
from coursekit.grading.sandbox import run_probe
from coursekit.grading.score import GradeReport, score
from coursekit.grading.stage import stage_submission

__all__ = [
    "GradeReport", "RubricError", "SubmissionError", "PUBLIC_TESTS",
    "grade", "grade_plan", "plan_run", "default_tests_dir",
]


def plan_run(tests=None, seed=None, **limits):
    """Read the rubric and draw this run's cases (shared by every submission of the run).

    `limits` overrides the rubric's [limits] (case_seconds, submission_seconds, memory_mb, output_kb).
    """
    rubric = load_rubric(default_tests_dir() if tests is None else tests)
    if limits:
        rubric = rubric.with_limits(**limits)
    return draw_plan(rubric, seed)


def grade(submission, tests=None, seed=None, **limits):
    """Grade one submission (folder, .py or .ipynb) with the tests in `tests`; returns a GradeReport."""
    return grade_plan(submission, plan_run(tests, seed, **limits))


def grade_plan(path, plan, on_case=None):
    """Grade one submission with the cases of `plan`; on_case(case, answer, result) sees every case."""
    started = time.perf_counter()
    submission = load_submission(path)
    rubric = plan.rubric
    with stage_submission(submission) as folder:
        run = run_probe(folder, submission.notebook, [case.request for case in plan.cases], rubric.limits)
    answers = [run.import_error] * len(plan.cases) if run.import_error else run.answers
    results = [compare(case, answer, rubric.rel_tol, rubric.abs_tol) for case, answer in zip(plan.cases, answers)]
    for case, answer, result in zip(plan.cases, answers, results) if on_case else ():
        on_case(case, answer, result)  # feedback draws a failing case's graph from the child's own numbers
    return score(submission, plan, results, run, time.perf_counter() - started)
