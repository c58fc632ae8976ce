"""Step 5: turn case outcomes into points: each test earns (cases passed / cases) x its points."""

from dataclasses import dataclass


@dataclass(frozen=True)
class TestResult:
    name: str
    score: float
    max_score: float
    passed: int           # cases passed
    total: int            # cases run
    visibility: str
    failures: tuple       # judgement.CaseOutcome of each failed case
    problem: str = ""     # the rubric's test is broken: not run, still worth its points (plan_run refuses such rubrics)

    @property
    def status(self):
        return "passed" if self.passed == self.total and not self.problem else "failed"


def score(tests, results):
    """TestResults from the TestPlans and, for each, its CaseOutcomes (empty when nothing ran)."""
    return tuple(_test_result(test, results.get(test.spec.name, ())) for test in tests)


def _test_result(test, results):
    spec = test.spec
    if spec.problem:
        return TestResult(spec.name, 0.0, spec.points, 0, 0, spec.visibility, (), spec.problem)
    passed, total = sum(result.passed for result in results), len(test.cases)
    earned = spec.points * passed / total  # the rubric guarantees at least one case
    failures = tuple(result for result in results if not result.passed)
    return TestResult(spec.name, round(earned, 2), spec.points, passed, total, spec.visibility, failures)
