"""The mutation score of a rubric: does each test fail the wrong variants of the solution it grades?

For one assignment: every solution region of the files its rubric grades (value.py, and the
chapter's notebook) is stubbed alone, as the exercises stub it; the tests that then fail are the
tests of that region. Every mutant of a region (coursekit.course.mutation_operators) is graded,
like a submission, by the tests of its region: a test kills it when it loses points; a mutant no
test kills survives. A mutant that no test can ever tell apart from the solution is listed, with the
reason, in `mutants.toml` beside the rubric:

    [[equivalent]]
    mutant = "value.py: Value.relu: `0` → `-1`"
    reason = "..."

The score is killed / (mutants - equivalent), per test and for the assignment.
"""

import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from coursekit.course.mutation_operators import count_regions, mutants_of, stub_region
from coursekit.grading import grade_plan, plan_run
from coursekit.grading.load import MODULE
from coursekit.grading.rubric import RubricError

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

EQUIVALENTS = "mutants.toml"
MUTANT_LIMITS = {"case_seconds": 2.0, "submission_seconds": 30.0}  # a mutant may loop forever


@dataclass(frozen=True)
class TestMutants:
    test: str
    killed: tuple       # names of the mutants of its regions this test kills
    survived: tuple     # ... it lets through (equivalent ones apart)
    equivalent: tuple

    @property
    def score(self):
        return _percent(self.killed, self.survived)


@dataclass(frozen=True)
class MutationReport:
    assignment: str
    tests: tuple        # TestMutants, in the rubric's order
    killed: tuple       # mutant names some test kills
    survived: tuple     # mutant names no test kills, not listed as equivalent
    equivalent: dict    # mutant name -> why no test can kill it
    stale: tuple        # what mutants.toml says that is no longer true

    @property
    def score(self):
        return _percent(self.killed, self.survived)


def _percent(killed, survived):
    counted = len(killed) + len(survived)
    return round(100.0 * len(killed) / counted, 1) if counted else 100.0


def mutation_report(tests_dir, solutions, seed=None, jobs=2):
    """Grade every mutant of `solutions` (a folder like solutions/) with the assignment at `tests_dir`."""
    plan = plan_run(tests_dir, seed)
    limits = {key: min(value, getattr(plan.rubric.limits, key)) for key, value in MUTANT_LIMITS.items()}
    plan = replace(plan, rubric=plan.rubric.with_limits(**limits))
    files = graded_files(Path(solutions), plan.rubric.code_file)
    with tempfile.TemporaryDirectory(prefix="coursekit-mutants-") as scratch, ThreadPoolExecutor(jobs) as pool:
        def failing(variant, tests=plan.tests):
            return failing_tests(Path(scratch), {**files, **variant}, replace(plan, tests=tuple(tests)))

        broken = failing({})
        if broken:
            raise RubricError(f"{solutions}: the solution itself fails {', '.join(broken)}; fix it before its mutants")
        regions = [(name, index) for name, text in files.items() for index in range(count_regions(name, text))]
        stubbed = pool.map(lambda key: failing({key[0]: stub_region(key[0], files[key[0]], key[1])}), regions)
        owners = {key: tuple(t for t in plan.tests if t.spec.name in names) for key, names in zip(regions, stubbed)}
        mutants = [m for name, text in files.items() for m in mutants_of(name, text) if owners[(name, m.region)]]
        kills = pool.map(lambda m: failing({m.file: m.text}, owners[(m.file, m.region)]), mutants)
        kills = {mutant.name: killers for mutant, killers in zip(mutants, kills)}
    tests = {mutant.name: [t.spec.name for t in owners[(mutant.file, mutant.region)]] for mutant in mutants}
    return _report(plan, tests, kills, read_equivalents(Path(tests_dir) / EQUIVALENTS))


def graded_files(solutions, code):
    """{file name: text} of what the rubric grades in the solution: value.py, and the notebook it names."""
    names = [MODULE, *([code] if code.endswith(".ipynb") else [])]
    return {name: (solutions / name).read_text(encoding="utf-8") for name in names if (solutions / name).is_file()}


def failing_tests(scratch, files, plan):
    """The names of the plan's tests that lose points on a submission made of `files`."""
    folder = Path(tempfile.mkdtemp(dir=scratch))
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    report = grade_plan(folder, plan)
    return tuple(test.name for test in report.tests if report.error or test.status != "passed")


def _report(plan, tests, kills, equivalent):
    """`tests`: mutant name -> the tests of its region; `kills`: mutant name -> the tests that fail it."""
    per_test = []
    for spec in (test.spec for test in plan.tests):
        mine = [name for name, owners in tests.items() if spec.name in owners]
        killed = tuple(name for name in mine if spec.name in kills[name])
        per_test.append(TestMutants(spec.name, killed, tuple(n for n in mine if n not in killed and n not in equivalent),
                                    tuple(n for n in mine if n in equivalent)))
    stale = [f"{name}: listed as equivalent, but {', '.join(kills[name])} kills it"
             for name in equivalent if kills.get(name)]
    stale += [f"{name}: listed as equivalent, but no such mutant is made" for name in equivalent if name not in kills]
    return MutationReport(plan.rubric.name, tuple(per_test), tuple(n for n in kills if kills[n]),
                          tuple(n for n in kills if not kills[n] and n not in equivalent),
                          {n: reason for n, reason in equivalent.items() if n in kills}, tuple(stale))


def read_equivalents(path):
    """{mutant name: reason} from mutants.toml ({} when there is none)."""
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise RubricError(f"{path}: not valid TOML ({error})") from None
    entries = raw.get("equivalent", [])
    if set(raw) - {"equivalent"} or not isinstance(entries, list) or not all(
            isinstance(e, dict) and set(e) == {"mutant", "reason"} and all(isinstance(v, str) and v for v in e.values())
            for e in entries):
        raise RubricError(f'{path}: expected [[equivalent]] tables, each with mutant = "..." and reason = "..."')
    return {entry["mutant"]: entry["reason"] for entry in entries}
