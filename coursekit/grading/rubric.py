"""The rubric: a TOML file (`rubric.toml` in the tests folder) that says what each test is worth.

Everything is declarative: points, visibility, how many random cases to draw and from which
input domains, fixed examples, the limits of the sandbox and the tolerance of comparisons.
A mistake in the file is a RubricError naming the file, the test and the key.
"""

import ast
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from coursekit.course.layout import CourseLayout
from coursekit.grading.forms import FORMS, SHAPES, TEST_NAMES

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

PUBLIC_TESTS = Path(__file__).parent / "public"
VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")  # Gradescope's words


class RubricError(ValueError):
    """The rubric file is missing or says something we cannot use."""


@dataclass(frozen=True)
class Limits:
    case_seconds: float = 5.0         # one case, including the import before the first one
    submission_seconds: float = 120.0  # the whole submission
    memory_mb: int = 1024             # address space of the child (RLIMIT_AS)
    output_kb: int = 16               # stdout and stderr kept for the report, each


@dataclass(frozen=True)
class TestSpec:
    name: str
    points: float
    visibility: str = "visible"
    cases: int = 0                # random cases drawn from the domains at every run
    boundaries: bool = False      # add the op's boundary cases (forms.BOUNDARIES, forms.SHAPES)
    show_inputs: bool = False     # reveal the inputs of random and boundary cases
    examples: tuple = ()          # fixed cases, always shown with their inputs
    domains: dict = field(default_factory=dict)  # input name -> list of (low, high) or choices


@dataclass(frozen=True)
class Rubric:
    tests: tuple                  # TestSpec, in TEST_NAMES order
    limits: Limits
    rel_tol: float
    abs_tol: float
    source: Path

    def with_limits(self, **changes):
        return replace(self, limits=replace(self.limits, **changes))


def default_tests_dir(cwd=None):
    """./autograder when it holds a rubric (the instructor's copy), else the public tests."""
    local = CourseLayout(Path(cwd or Path.cwd())).autograder
    return local if (local / "rubric.toml").is_file() else PUBLIC_TESTS


def load_rubric(tests_dir):
    path = Path(tests_dir) / "rubric.toml"
    if not path.is_file():
        raise RubricError(f"{tests_dir}: no rubric.toml in this folder (is it a tests folder?)")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise RubricError(f"{path}: not valid TOML ({error})") from None
    unknown = set(raw) - {"limits", "tolerance", "tests"}
    if unknown:
        raise RubricError(f"{path}: unknown section(s) {sorted(unknown)}; expected limits, tolerance, tests")
    tests = raw.get("tests", {})
    missing = [name for name in TEST_NAMES if name not in tests]
    extra = [name for name in tests if name not in TEST_NAMES]
    if missing or extra:
        raise RubricError(f"{path}: [tests] must have exactly {', '.join(TEST_NAMES)} (missing {missing}, unknown {extra})")
    tolerance = raw.get("tolerance", {})
    return Rubric(
        tests=tuple(_test_spec(path, name, tests[name]) for name in TEST_NAMES),
        limits=_limits(path, raw.get("limits", {})),
        rel_tol=float(tolerance.get("rel", 1e-6)),
        abs_tol=float(tolerance.get("abs", 1e-9)),
        source=path,
    )


def _limits(path, raw):
    known = {f.name for f in fields(Limits)}
    for key, value in raw.items():
        if key not in known:
            raise RubricError(f"{path}: [limits] has an unknown key {key!r}; known: {sorted(known)}")
        if not isinstance(value, (int, float)) or value <= 0:
            raise RubricError(f"{path}: [limits] {key} must be a positive number, got {value!r}")
    return Limits(**raw)


def _test_spec(path, name, raw):
    where = f"{path}: [tests.{name}]"
    settings = {key: raw[key] for key in ("points", "visibility", "cases", "boundaries", "show_inputs") if key in raw}
    if not isinstance(settings.get("points"), (int, float)) or settings["points"] < 0:
        raise RubricError(f"{where} needs points = a number >= 0")
    if settings.get("visibility", "visible") not in VISIBILITIES:
        raise RubricError(f"{where} visibility must be one of {', '.join(VISIBILITIES)}")
    if not isinstance(settings.get("cases", 0), int) or settings.get("cases", 0) < 0:
        raise RubricError(f"{where} cases must be a whole number >= 0")
    examples = tuple(_example(where, name, example) for example in raw.get("examples", ()))
    domains = {key: _domain(where, key, value) for key, value in raw.items() if key in ("a", "b", "nodes", "local", "chain")}
    unknown = set(raw) - set(settings) - set(domains) - {"examples"}
    if unknown:
        raise RubricError(f"{where} has unknown key(s) {sorted(unknown)}")
    needed = {"nodes", "local"} if name == "backward" else {n for form in FORMS[name] for n in form.inputs}
    if settings.get("cases") and not needed <= set(domains):
        raise RubricError(f"{where} draws random cases: it needs the domain(s) {sorted(needed - set(domains))}")
    if not (examples or settings.get("boundaries") or settings.get("cases")):
        raise RubricError(f"{where} has no cases: give examples, boundaries = true or cases = N")
    return TestSpec(name=name, examples=examples, domains=domains, **settings)


def _domain(where, key, value):
    """[low, high] | [[low, high], ...] (a union) | {choices = [...]} -> ('intervals'|'choices', list)."""
    if key == "chain":
        if not isinstance(value, int) or value < 1:
            raise RubricError(f"{where} chain must be a whole number of nodes >= 1")
        return value
    if isinstance(value, dict) and set(value) == {"choices"} and value["choices"]:
        return ("choices", list(value["choices"]))
    intervals = value if value and isinstance(value[0], list) else [value]
    if not all(isinstance(iv, list) and len(iv) == 2 and iv[0] <= iv[1] for iv in intervals):
        raise RubricError(f"{where} {key} must be [low, high], a list of them, or {{choices = [...]}}")
    return ("intervals", [tuple(iv) for iv in intervals])


def _example(where, name, text):
    """An example is written like student code: "Value(2.0) + Value(-3.0)", "3 * Value(1.5)".

    It is turned into one of the op's forms and its inputs (for backward: the name of a shape).
    """
    if name == "backward":
        if text not in SHAPES:
            raise RubricError(f"{where} example {text!r} is not one of the graphs {sorted(SHAPES)}")
        return text
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        raise RubricError(f"{where} example {text!r} is not a Python expression") from None
    names, numbers, values = iter("ab"), [], ""

    def number(node):
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -number(node.operand)
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            return node.value
        raise RubricError(f"{where} example {text!r}: {ast.unparse(node)} is not a number")

    def name_for(node):
        numbers.append(number(node))
        return ast.Name(id=next(names), ctx=ast.Load())

    class Inputs(ast.NodeTransformer):
        def visit_Call(self, node):
            if isinstance(node.func, ast.Name) and node.func.id == "Value" and len(node.args) == 1:
                nonlocal values
                replacement = name_for(node.args[0])
                values += replacement.id
                return replacement
            return self.generic_visit(node)

        def visit_Constant(self, node):
            return name_for(node)

        def visit_UnaryOp(self, node):  # -3 is a number, -Value(3) a negation
            return name_for(node) if isinstance(node.operand, ast.Constant) else self.generic_visit(node)

    try:
        expression = ast.unparse(Inputs().visit(tree))
    except StopIteration:
        raise RubricError(f"{where} example {text!r} has more than two inputs") from None
    for index, form in enumerate(FORMS[name]):
        if (form.expression, form.values, len(form.inputs)) == (expression, values, len(numbers)):
            return index, tuple(numbers)
    shapes = ", ".join(form.expression for form in FORMS[name])
    raise RubricError(f"{where} example {text!r} is not one of the forms of {name} ({shapes})")
