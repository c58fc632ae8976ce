"""The rubric: a TOML file (`rubric.toml` in an assignment's folder) that declares every test.

A test names its target (code run in the submission), the domains its inputs are drawn from,
its fixed cases, its points and visibility, and the known mistakes with their hints; coursekit
holds no list of tests. A mistake in the file is reported with the file, the line and the test:
one that breaks the whole file is a RubricError, one inside a test marks only that test as
broken (it is reported and not run, and the others are graded).
"""

import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from coursekit.grading.checks import CHECKS
from coursekit.grading.settings import RubricError, TestProblem, read_boolean, shown_path
from coursekit.grading.targets import TargetError

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

RUBRIC = "rubric.toml"
VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")  # Gradescope's words
TOP_LEVEL = {"title", "seed", "per_student", "code", "submit", "limits", "tolerance", "errors", "tests"}


@dataclass(frozen=True)
class Limits:
    case_seconds: float = 5.0         # one case, including the import before the first one
    submission_seconds: float = 120.0  # the whole submission
    memory_mb: int = 1024             # address space of the child (RLIMIT_AS)
    output_kb: int = 16               # stdout and stderr kept for the report, each


@dataclass(frozen=True)
class Tolerance:
    rel: float = 1e-6
    abs: float = 1e-9


@dataclass(frozen=True)
class ErrorHint:
    """A hint for an error the child reports: its exception name, a piece of its message, a form."""

    error: str
    hint: str
    contains: str = ""
    form: str = ""  # the target (as written) it applies to; "" for every target


@dataclass(frozen=True)
class Mistake:
    """A known-wrong variant: code run over the reference (e.g. `class Value(Value): ...`), or, in
    public tests, that code's answers frozen per example (JSON, "" where it cannot run)."""

    hint: str
    code: str = ""
    answers: tuple = ()


@dataclass(frozen=True)
class TestSpec:
    name: str
    points: float
    line: int = 0
    visibility: str = "visible"
    check: object = CHECKS["values"]  # the kind of check (coursekit.grading.checks), from check = "..."
    targets: tuple = ()        # targets.Target; a random case picks one
    references: tuple = ()     # the same targets as the reference evaluates them
    setup: str = ""            # as written in the rubric (the targets hold it without markers)
    wrt: str = ""
    cases: int = 0             # random cases drawn from the domains
    show_inputs: bool = False  # reveal the inputs of random and boundary cases
    examples: tuple = ()       # FixedCase, public
    boundaries: tuple = ()     # FixedCase, hidden unless show_inputs
    domains: dict = field(default_factory=dict)
    mistakes: tuple = ()
    errors: tuple = ()
    tolerance: Tolerance = Tolerance()
    problem: str = ""          # why this test cannot run ("" : it can)


@dataclass(frozen=True)
class Rubric:
    name: str                  # the assignment: its folder's name
    title: str
    seed: int | None
    per_student: bool
    code_file: str             # where the targets live in a submission: value.py or a notebook (`code = ...`)
    submit: tuple              # the files a student submits (`submit = [...]`), value.py and the notebook by default
    tests: tuple               # TestSpec, in the file's order (switched-off tests left out)
    limits: Limits
    errors: tuple              # ErrorHint for every test
    source: Path               # the rubric file

    @property
    def folder(self):
        return self.source.parent

    def with_limits(self, **changes):
        return replace(self, limits=replace(self.limits, **changes))

    @property
    def problems(self):
        return [test.problem for test in self.tests if test.problem]

    @property
    def shown_source(self):
        return shown_path(self.source)


def load_rubric(folder):
    path = Path(folder) / RUBRIC
    where = shown_path(path)
    if not path.is_file():
        raise RubricError(f"{folder}: no {RUBRIC} in this folder (is it an assignment's tests folder?)")
    try:
        text = path.read_text(encoding="utf-8")
        raw = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise RubricError(f"{where}: not valid TOML ({error})") from None
    unknown = set(raw) - TOP_LEVEL
    if unknown:
        raise RubricError(f"{where}: unknown key(s) or section(s) {sorted(unknown)}; expected {', '.join(sorted(TOP_LEVEL))}")
    tolerance = _tolerance(f"{where}: [tolerance]", raw.get("tolerance", {}))
    tests = raw.get("tests", {})
    if not isinstance(tests, dict) or not tests:
        raise RubricError(f"{where}: no [tests.NAME] sections")
    specs = tuple(_test_spec(path, text, name, test, tolerance) for name, test in tests.items()
                  if not (isinstance(test, dict) and test.get("enabled", True) is False))
    seed = raw.get("seed")
    if seed is not None and not isinstance(seed, int):
        raise RubricError(f"{where}: seed must be a whole number")
    if seed is None and any(test.cases for test in specs):
        raise RubricError(f"{where}: tests draw random cases, so the rubric needs `seed = N` at the top "
                          "(the same seed gives every submission the same cases)")
    code = raw.get("code", "value.py")
    if not isinstance(code, str) or not code.endswith((".py", ".ipynb")):
        raise RubricError(f"{where}: code must name a .py file or a .ipynb notebook of the submission")
    submit = raw.get("submit", ["value.py", *([code] if code != "value.py" else [])])
    if not (isinstance(submit, list) and submit and all(isinstance(name, str) and name.endswith((".py", ".ipynb"))
                                                        and "/" not in name for name in submit)) or code not in submit:
        raise RubricError(f"{where}: submit must list the files a student submits (.py and .ipynb names), "
                          f"{code} among them")
    return Rubric(
        name=path.parent.resolve().name, title=str(raw.get("title", "")), seed=seed,
        per_student=read_boolean(f"{where}: per_student", raw.get("per_student", False)), code_file=code,
        submit=tuple(submit), tests=specs,
        limits=_limits(path, raw.get("limits", {})), errors=_error_hints(f"{where}: [[errors]]", raw.get("errors", [])),
        source=path,
    )


def _limits(path, raw):
    known = {f.name for f in fields(Limits)}
    for key, value in raw.items():
        if key not in known:
            raise RubricError(f"{shown_path(path)}: [limits] has an unknown key {key!r}; known: {sorted(known)}")
        if not isinstance(value, (int, float)) or value <= 0:
            raise RubricError(f"{shown_path(path)}: [limits] {key} must be a positive number, got {value!r}")
    return Limits(**raw)


def _tolerance(where, raw, default=Tolerance()):
    if not isinstance(raw, dict) or set(raw) - {"rel", "abs"}:
        raise RubricError(f"{where} must be a table with rel and/or abs")
    if not all(isinstance(value, (int, float)) and value >= 0 for value in raw.values()):
        raise RubricError(f"{where} rel and abs must be numbers >= 0")
    return replace(default, **{key: float(value) for key, value in raw.items()})


def _line_of(text, name, key=None):
    """The line of `[tests.NAME]` (or of `key = ` inside it) in the file, 1-based; 0 if not found."""
    header = re.search(rf"^[ \t]*\[[ \t]*tests\.{re.escape(name)}\s*\]", text, re.MULTILINE)
    if header is None:
        return 0
    line = text.count("\n", 0, header.start()) + 1
    if key:
        rest = text[header.end():]
        end = re.search(r"^[ \t]*\[[^\[]", rest, re.MULTILINE)
        found = re.search(rf"^[ \t]*{re.escape(key)}[ \t]*=", rest[: end.start() if end else None], re.MULTILINE)
        if found:
            return line + rest.count("\n", 0, found.start())
    return line


def _test_spec(path, text, name, raw, tolerance):
    """The TestSpec; a problem inside it becomes its `problem`, with file, line and test named."""
    points = raw.get("points") if isinstance(raw, dict) else None
    try:
        if not isinstance(raw, dict):
            raise TestProblem("must be a table of settings")
        return _read_test(name, raw, tolerance, _line_of(text, name))
    except (RubricError, TargetError) as problem:
        key = getattr(problem, "key", None)
        message = f"{shown_path(path)}:{_line_of(text, name, key)}: [tests.{name}] {problem}"
        return TestSpec(name=name, points=float(points) if isinstance(points, (int, float)) else 0.0, problem=message)


def _read_test(name, raw, tolerance, line):
    points = raw.get("points")
    if not isinstance(points, (int, float)) or isinstance(points, bool) or points < 0:
        raise TestProblem("needs points = a number >= 0", "points")
    visibility = raw.get("visibility", "visible")
    if visibility not in VISIBILITIES:
        raise TestProblem(f"visibility must be one of {', '.join(VISIBILITIES)}", "visibility")
    check = CHECKS.get(raw.get("check", "values"))
    if check is None:
        raise TestProblem(f"check must be one of {', '.join(CHECKS)}", "check")
    cases = raw.get("cases", 0)
    if not isinstance(cases, int) or isinstance(cases, bool) or cases < 0:
        raise TestProblem("cases must be a whole number >= 0", "cases")
    settings = dict(
        name=name, points=float(points), line=line, visibility=visibility, check=check, cases=cases,
        show_inputs=read_boolean("show_inputs", raw.get("show_inputs", False)),
        mistakes=_mistakes(raw.get("mistakes", [])), errors=_test_errors(raw.get("errors", [])),
        tolerance=_test_tolerance(raw.get("tolerance", {}), tolerance),
    )
    spec = TestSpec(**settings, **check.read(raw))
    if not (spec.examples or spec.boundaries or spec.cases):
        raise TestProblem("has no cases: give examples, boundaries or cases = N")
    return spec


def _test_tolerance(raw, default):
    try:
        return _tolerance("tolerance", raw, default)
    except RubricError as error:
        raise TestProblem(str(error), "tolerance") from None


def _mistakes(raw):
    shapes = ({"hint", "code"}, {"hint", "answers"})  # answers: what `coursekit assign` writes into public tests
    if not isinstance(raw, list) or not all(isinstance(m, dict) and set(m) in shapes for m in raw):
        raise TestProblem('mistakes must be [[tests.NAME.mistakes]] tables with hint = "..." and code = "..."', "mistakes")
    for mistake in raw:
        if "answers" in mistake:
            if not all(isinstance(answer, str) for answer in mistake["answers"]):
                raise TestProblem("a mistake's answers must be JSON strings, one per example", "mistakes")
            continue
        try:
            compile(mistake["code"], "mistake", "exec")
        except SyntaxError as error:
            what = f"the code of the mistake {mistake['hint'][:40]!r}"
            raise TestProblem(f"{what} is not Python ({error.msg})", "mistakes") from None
    return tuple(Mistake(m["hint"], m.get("code", ""), tuple(m.get("answers", ()))) for m in raw)


def _test_errors(raw):
    try:
        return _error_hints("errors", raw)
    except RubricError as error:
        raise TestProblem(str(error), "errors") from None


def _error_hints(where, raw):
    allowed = {f.name for f in fields(ErrorHint)}
    if not isinstance(raw, list) or not all(isinstance(e, dict) and {"error", "hint"} <= set(e) <= allowed for e in raw):
        raise RubricError(f"{where} must be tables with error = \"ExceptionName\", hint = \"...\" "
                          "and optionally contains = \"text\", form = \"target\"")
    return tuple(ErrorHint(**entry) for entry in raw)


def find_assignments(folder):
    """{name: folder} of the assignments in `folder`: the folder itself when it holds a rubric,
    else its subfolders that do, sorted by name."""
    folder = Path(folder)
    if (folder / RUBRIC).is_file():
        return {folder.resolve().name: folder}
    if not folder.is_dir():
        return {}
    return {sub.name: sub for sub in sorted(folder.iterdir()) if (sub / RUBRIC).is_file()}


def assignment_folder(tests, assignment=None):
    """The one assignment folder meant by `tests` (an assignment, or a folder of them) and a name."""
    found = find_assignments(tests)
    if not found:
        raise RubricError(f"{tests}: no {RUBRIC} here or in its subfolders (is it a tests folder?)")
    if assignment is not None:
        if assignment not in found:
            raise RubricError(f"{tests}: no assignment {assignment!r}; there are {', '.join(found)}")
        return found[assignment]
    if len(found) > 1:
        raise RubricError(f"{tests} holds several assignments ({', '.join(found)}): choose one with --assignment")
    return next(iter(found.values()))
