"""The autograder: one straight line per submission and assignment.

    rubric.py, settings.py, targets.py   read the rubric (each test's settings by its kind of check)
    cases.py, reference.py               draw the plan: the cases, the reference's and the known
                                         mistakes' answers, once per run
    load.py, live.py, places.py          read the submission (a folder, a .py, a .ipynb, or the cells
                                         a kernel ran) and where it defines each target
    finder.py                            find the files the rubric declares in what was handed in
                                         (nested folders, zips, renamed copies)
    stage.py                             copy it into a fresh folder
    sandbox.py, probe.py, protocol.py    run the cases in a sandboxed child; answers keyed by case
    explain.py                           (in the child) why the student's class cannot answer
    in_process.py                        the same in this process, where no child can start (Pyodide)
    checks/, judgement.py, hints.py      judge each case once into a CaseOutcome
    score.py                             cases passed -> points
    grade_report.py, report.py           the GradeReport, and it as text, JSON, Gradescope, JUnit
    feedback.py, pictures.py             pages for the student, with their graph of a failing case

Around the line: classroom.py grades a class into a gradebook, gradescope.py is Gradescope's
entry point, public.py writes and runs the public tests, magic.py is `%check`, similarity.py
flags near-copies; after a class run, adjustments.py applies the points given by hand and
replay.py grades one student again as their row was graded. No module imports one further down
the line.
"""

import time

from coursekit.grading.cases import draw_plan
from coursekit.grading.finder import find_submission
from coursekit.grading.grade_report import GradeReport, build_report
from coursekit.grading.judgement import judge_test
from coursekit.grading.load import SubmissionError
from coursekit.grading.rubric import RubricError, assignment_folder, find_assignments, load_rubric
from coursekit.grading.sandbox import run_probe
from coursekit.grading.score import score
from coursekit.grading.settings import summary
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
    Raises RubricError when a test cannot be graded as written.
    """
    folder = assignment_folder(default_tests_dir() if tests is None else tests, assignment)
    rubric = load_rubric(folder)
    if limits:
        rubric = rubric.with_limits(**limits)
    return gradable(draw_plan(rubric, seed, student))


def gradable(plan):
    """The plan, when every test of its rubric can be graded as written; else a RubricError naming
    the first broken test: a test left out would shrink max_total, so nothing is graded."""
    if plan.problems:
        raise RubricError(summary(plan.problems))
    return plan


def grade(submission, tests=None, seed=None, assignment=None, student=None, **limits):
    """Grade one submission (folder, .py or .ipynb) on one assignment; returns a GradeReport."""
    return grade_plan(submission, plan_run(tests, seed, assignment, student, **limits), student)


def grade_plan(path, plan, student=None, submission=None):
    """Grade one submission with the cases of `plan`; `submission` is the one find_submission read
    from `path` when the caller has it already (a class run reads each student once)."""
    started = time.perf_counter()
    if plan.rubric.per_student and student != plan.student:
        plan = draw_plan(plan.rubric, plan.seed, student)
    if submission is None:
        submission = find_submission(path, plan.rubric.submit, plan.rubric.code_file)
    with stage_submission(submission) as folder:
        run = run_probe(folder, submission.entry, plan.requests(), plan.rubric.limits, plan.needs)
    outcomes = {}
    if run.failure is None:
        for test in plan.tests:
            outcomes[test.spec.name] = judge_test(test, run.answers, (*test.spec.errors, *plan.rubric.errors))
    return build_report(plan, submission, run, score(plan.tests, outcomes), started)
