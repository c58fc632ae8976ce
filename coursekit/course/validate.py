"""`coursekit assign --validate`: is every assignment gradable before it is released?

Like `nbgrader validate` and its `--invert`: for every assignment (its hidden rubric and the
public tests drawn from it) the solutions get full marks and the generated exercises get zero on
every test worth points (a test the untouched exercises pass covers no exercise, or gives the
answer away); every test of the rubric can run; every known mistake is caught by its own hint;
and each notebook runs (solutions to the end, exercises stopping at their first exercise cell).
With `mutants`, every hidden rubric must also fail every wrong variant of the solution that is not
listed as equivalent (coursekit.course.mutation_score).
"""

from dataclasses import dataclass
from pathlib import Path

from coursekit.course.assign import course_files, out_of_date, read_config
from coursekit.course.gradable import draw, mistake_problems, test_problems
from coursekit.course.kernel import first_exercise_cell, run_notebook
from coursekit.course.layout import CourseLayout
from coursekit.course.mutation_score import EQUIVALENTS, mutation_report
from coursekit.grading import RubricError, find_assignments, grade
from coursekit.grading.public import blind_spots


@dataclass(frozen=True)
class Verdict:
    subject: str   # what was checked, e.g. "exercises/ch1-….ipynb"
    expected: str
    got: str
    ok: bool
    warning: bool = False  # not ok, but the assignment can still be graded (validate's exit code ignores it)


def validate(source=CourseLayout.SOLUTIONS, target=CourseLayout.EXERCISES, tests=None, notebooks=True, seed=None, advance=None,
             assignment=None, mutants=None):
    """Every check of the pair as a list of Verdicts; `advance(subject)` is called before each slow one.

    `assignment` checks only that assignment's tests; `mutants(report)`, when given, is called with
    the MutationReport of every hidden assignment, whose mutation score is then checked too.
    """
    source, target = Path(source), Path(target)
    advance = advance or (lambda subject: None)
    verdicts = [check_generated(source, target)]
    for tests_dir in assignment_folders(source, target, tests, assignment):
        advance(f"grading with {tests_dir}")
        rubric = check_rubric(tests_dir, seed)
        verdicts += rubric
        if not rubric[0].ok:  # grading refuses a rubric with a broken test; its verdict says why
            continue
        verdicts += check_grades(source, target, tests_dir, seed)
        if mutants is not None and CourseLayout.PUBLIC_TESTS not in Path(tests_dir).parts:
            advance(f"grading the mutants of {source} with {tests_dir}")
            verdicts.append(check_mutants(source, tests_dir, seed, mutants))
    if notebooks:
        for relative in course_files(source, read_config(source).exclude):
            if relative.suffix == ".ipynb":
                advance(str(relative))
                verdicts += check_notebook_pair(source / relative, target / relative)
    return verdicts


def assignment_folders(source, target, tests=None, assignment=None):
    """Every hidden assignment (`tests`, default the autograder/ beside `source`), then its public tests."""
    hidden = Path(tests) if tests else CourseLayout.around(source).autograder
    public = Path(target) / CourseLayout.PUBLIC_TESTS
    found = [*find_assignments(hidden).items(), *find_assignments(public).items()]
    if assignment is not None and assignment not in dict(found):
        raise RubricError(f"{hidden}: no assignment {assignment!r}; there are {', '.join(find_assignments(hidden))}")
    return [folder for name, folder in found if assignment in (None, name)]


def check_generated(source, target):
    stale = out_of_date(source, target)
    got = "up to date" if not stale else f"differs in {', '.join(map(str, stale))}; run `coursekit assign`"
    return Verdict(f"{target}/", f"generated from {source}/", got, not stale)


def check_rubric(tests_dir, seed=None):
    """Every test can run, no drawn input is refused, and every known mistake gets its own hint."""
    subject = str(Path(tests_dir) / "rubric.toml")
    try:
        plan = draw(tests_dir, seed)
    except RubricError as error:
        return [Verdict(subject, "a valid rubric", str(error), False)]
    problems = test_problems(plan)
    verdicts = [Verdict(subject, "every test runs on its domains", "; ".join(problems) or "yes", not problems)]
    if any(test.spec.mistakes for test in plan.tests):
        missed = mistake_problems(plan)
        verdicts.append(Verdict(subject, "every known mistake is caught by its own hint", "; ".join(missed) or "yes", not missed))
    if CourseLayout.PUBLIC_TESTS not in Path(tests_dir).parts:
        spots = blind_spots(plan)
        verdicts.append(Verdict(subject, "the public examples show every kind of hidden case",
                                "; ".join(spots) or "yes", not spots, warning=bool(spots)))
    return verdicts


def check_mutants(source, tests_dir, seed=None, show=None):
    """Every mutant of the solution fails a test of `tests_dir`, or is listed as equivalent."""
    report = mutation_report(tests_dir, source, seed)
    if show is not None:
        show(report)
    counted = len(report.killed) + len(report.survived)
    got = f"{report.score:g}% ({len(report.killed)} of {counted} killed, {len(report.equivalent)} equivalent)"
    if report.survived:
        got += "; survived: " + "; ".join(report.survived)
    if report.stale:
        got += f"; {EQUIVALENTS}: " + "; ".join(report.stale)
    subject = f"{Path(tests_dir) / 'rubric.toml'} mutants"
    return Verdict(subject, "every wrong variant of the solution fails a test", got, not report.survived and not report.stale)


def check_grades(source, target, tests_dir, seed=None):
    """The solutions pass every test of `tests_dir`; the exercises fail every test worth points."""
    solved, untouched = grade(source, tests_dir, seed), grade(target, tests_dir, seed)
    failed = [test.name for test in solved.tests if test.status != "passed"]
    passed = [test.name for test in untouched.tests if test.status == "passed" and test.max_score]
    where = f"({Path(tests_dir).parent.name}/{Path(tests_dir).name} tests)"
    return [
        Verdict(f"{source}/ {where}", "passes every test",
                solved.error or (f"fails {', '.join(failed)}" if failed else f"{solved.score:g}/{solved.max_score:g}"),
                not failed and solved.error is None),
        Verdict(f"{target}/ {where}", "fails every test",
                f"passes {', '.join(passed)} without any work" if passed else f"{untouched.score:g}/{untouched.max_score:g}",
                not passed),
    ]


def check_notebook_pair(solution, exercise):
    """The solution notebook runs to the end; the exercise stops at its first exercise cell."""
    import nbformat

    solved = run_notebook(solution)
    verdicts = [Verdict(str(solution), "runs without error",
                        "ran every cell" if solved.error is None else
                        f"cell {solved.failed_cell} raised {solved.error}: {solved.message}", solved.error is None)]
    if not exercise.is_file():
        return verdicts + [Verdict(str(exercise), "exists", "missing; run `coursekit assign`", False)]
    first = first_exercise_cell(nbformat.read(exercise, as_version=4))
    if first is None:
        return verdicts + [Verdict(str(exercise), "has a cell tagged `exercise`", "none", False)]
    stopped = run_notebook(exercise)
    expected = f"stops at cell {first} with NotImplementedError"
    got = ("ran every cell" if stopped.error is None else f"stopped at cell {stopped.failed_cell} with {stopped.error}")
    return verdicts + [Verdict(str(exercise), expected, got,
                               (stopped.failed_cell, stopped.error) == (first, "NotImplementedError"))]
