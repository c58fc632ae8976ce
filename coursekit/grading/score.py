"""Step 5: turn case results into points: each test earns (cases passed / cases) x its points."""

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

    @property
    def status(self):
        return "passed" if self.passed == self.total else "failed"


@dataclass(frozen=True)
class GradeReport:
    submission: str
    seed: int
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
        return self.error is None and all(test.status == "passed" for test in self.tests)


def score(submission, plan, results, run, elapsed):
    tests = tuple(_test_result(spec, [r for r in results if r.test == spec.name]) for spec in plan.rubric.tests)
    return GradeReport(
        submission=submission.name,
        seed=plan.seed,
        tests=tests,
        score=round(sum(test.score for test in tests), 2),
        max_score=round(sum(test.max_score for test in tests), 2),
        error=_import_error(run.import_error),
        notes=tuple(run.notes),
        output=run.output,
        elapsed=round(elapsed, 3),
        tests_source=str(plan.rubric.source),
    )


def _test_result(spec, results):
    passed = sum(result.passed for result in results)
    total = len(results)
    earned = spec.points * passed / total  # the rubric guarantees at least one case
    failures = tuple(result for result in results if not result.passed)
    return TestResult(spec.name, round(earned, 2), float(spec.points), passed, total, spec.visibility, failures)


def _import_error(answer):
    if answer is None:
        return None
    where = f" ({answer['where']})" if answer.get("where") else ""
    return f"could not import the submission: {answer.get('message')}{where}"
