"""Step 6: the GradeReport of one submission on one assignment, what every report format reads.

Built from the plan, the submission, the child's run and the scored tests; nothing after this
step looks at the child's answers.
"""

import time
from dataclasses import dataclass, field

from coursekit.grading.places import definitions, test_places


@dataclass(frozen=True)
class GradeReport:
    submission: str
    assignment: str
    seed: int | None      # None: the rubric draws nothing at random (public tests)
    student: str | None   # whose per-student cases these are (None: everyone's)
    tests: tuple          # TestResult, in the rubric's order
    score: float
    max_score: float
    error: str | None     # why nothing could be graded (the import failed), else None
    notes: tuple          # notebook cells that failed while the rest was graded
    output: dict          # the submission's stdout and stderr, truncated
    elapsed: float        # seconds
    tests_source: str     # the rubric file used
    places: dict = field(default_factory=dict)  # test -> ((name, "value.py" or a cell), ...): what it calls
    ignored: tuple = ()   # (file, why) of each of the submission's code files that was not graded

    @property
    def passed(self):
        """No error, every test could run, and every test worth points has all its cases right."""
        return self.error is None and all(test.status == "passed" for test in self.tests if test.max_score or test.problem)


def build_report(plan, submission, run, tests, started):
    """The GradeReport; `started` is when grading began (time.perf_counter())."""
    return GradeReport(
        submission=submission.name, assignment=plan.rubric.name, seed=plan.seed, student=plan.student,
        tests=tests, score=round(sum(test.score for test in tests), 2),
        max_score=round(sum(test.max_score for test in tests), 2),
        error=None if run.failure is None else f"could not import the submission: {run.failure.sentence}",
        notes=(*submission.notes, *run.notes), output=run.output, elapsed=round(time.perf_counter() - started, 3),
        tests_source=str(plan.rubric.source), places=_places(plan, submission), ignored=submission.ignored,
    )


def _places(plan, submission):
    defined = definitions(submission)
    return {test.spec.name: test_places(test.spec, defined) for test in plan.tests}
