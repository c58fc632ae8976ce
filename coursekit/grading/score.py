"""Step 6: turn case results into points: each test earns (cases passed / cases) x its points."""

from dataclasses import dataclass


@dataclass(frozen=True)
class TestResult:
    name: str
    score: float
    max_score: float
    passed: int           # cases passed
    total: int            # cases run
    visibility: str
    failures: tuple       # CaseResult of each failed case
    problem: str = ""     # the rubric's test is broken: not run, worth nothing (instructors fix it)

    @property
    def status(self):
        return "passed" if self.passed == self.total and not self.problem else "failed"


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

    @property
    def passed(self):
        """No error, every test could run, and every test worth points has all its cases right."""
        return self.error is None and all(test.status == "passed" for test in self.tests if test.max_score or test.problem)


def score(tests, results):
    """TestResults from the TestPlans and, for each, its CaseResults (empty when nothing ran)."""
    return tuple(_test_result(test, results.get(test.spec.name, ())) for test in tests)


def _test_result(test, results):
    spec = test.spec
    if spec.problem:
        return TestResult(spec.name, 0.0, 0.0, 0, 0, spec.visibility, (), spec.problem)
    passed, total = sum(result.passed for result in results), len(test.cases)
    earned = spec.points * passed / total  # the rubric guarantees at least one case
    failures = tuple(result for result in results if not result.passed)
    return TestResult(spec.name, round(earned, 2), spec.points, passed, total, spec.visibility, failures)
