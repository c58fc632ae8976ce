"""Draw the cases of a run from the rubric: fixed examples, boundaries, and fresh random inputs.

A run is seeded (the seed is printed; `--seed` replays it). Every case carries the request the
child receives and, separately, the reference engine's answer, which never leaves this process.
The cases of a run are drawn once and shared by every submission graded in it.
"""

import random
import re
from dataclasses import dataclass

from coursekit.grading import forms

DEFAULT_CHAIN = 100_000
MAX_DRAWS = 200  # attempts to find an input inside the operation's domain (log of a negative...)


@dataclass(frozen=True)
class Case:
    test: str
    label: str        # what the student may see about this case
    public: bool      # public cases show inputs, expected and got
    request: dict     # sent to the child (inputs only)
    expected: object  # forms.OpAnswer, or the tuple of grads of the reported nodes (backward)
    form: forms.Form | None = None


@dataclass(frozen=True)
class Plan:
    rubric: object
    seed: int
    cases: tuple


def draw_plan(rubric, seed=None):
    seed = random.SystemRandom().randrange(1_000_000) if seed is None else seed
    rng = random.Random(seed)
    cases = []
    for spec in rubric.tests:
        draw = _backward_cases if spec.name == "backward" else _op_cases
        cases.extend(draw(spec, rng))
    return Plan(rubric, seed, tuple(cases))


# -- operations -------------------------------------------------------------------------------


def _op_cases(spec, rng):
    op_forms = forms.FORMS[spec.name]
    for index, numbers in spec.examples:
        yield _op_case(spec, op_forms[index], numbers, public=True)
    if spec.boundaries:
        for index, numbers in forms.BOUNDARIES[spec.name]:
            yield _op_case(spec, op_forms[index], numbers, public=spec.show_inputs)
    for _ in range(spec.cases):
        form, numbers = _draw_inputs(spec, op_forms, rng)
        yield _op_case(spec, form, numbers, public=spec.show_inputs)


def _draw_inputs(spec, op_forms, rng):
    for _ in range(MAX_DRAWS):
        form = rng.choice(op_forms)
        numbers = tuple(_sample(spec.domains[name], rng) for name in form.inputs)
        try:
            forms.reference_answer(form, numbers)
        except (ArithmeticError, ValueError):
            continue
        return form, numbers
    raise ValueError(f"[tests.{spec.name}]: no valid input found in its domains after {MAX_DRAWS} draws")


def _sample(domain, rng):
    kind, options = domain
    if kind == "choices":
        return rng.choice(options)
    low, high = rng.choice(options)
    return round(rng.uniform(low, high), 3)


def _op_case(spec, form, numbers, public):
    request = {"kind": "op", "expression": form.expression, "inputs": form.inputs, "values": form.values,
               "numbers": list(numbers)}
    if public:
        label = _as_code(form, numbers)
    else:
        label = f"hidden case: {form.describe()}"
    return Case(spec.name, label, public, request, forms.reference_answer(form, numbers), form)


def _as_code(form, numbers):
    """The case as a student would type it: "3 + Value(0.5)", or "a + a where a = Value(2.5)"."""
    shown = {name: f"Value({x!r})" if name in form.values else repr(x) for name, x in zip(form.inputs, numbers)}
    if len(re.findall(r"\b[ab]\b", form.expression)) == len(form.inputs):
        return re.sub(r"\b[ab]\b", lambda match: shown[match[0]], form.expression)
    return f"{form.expression} where " + ", ".join(f"{name} = {text}" for name, text in shown.items())


# -- backward ---------------------------------------------------------------------------------


def _backward_cases(spec, rng):
    for shape in spec.examples:
        yield _shape_case(spec, shape, public=True)
    if spec.boundaries:
        for shape in forms.SHAPES:
            yield _shape_case(spec, shape, public=spec.show_inputs)
    for _ in range(spec.cases):
        nodes = _random_graph(spec.domains, rng)
        label = f"backward on a random graph of {len(nodes)} nodes"
        yield _backward_case(spec, nodes, label if spec.show_inputs else f"hidden case: {label}", spec.show_inputs)


def _shape_case(spec, shape, public):
    length = spec.domains.get("chain", DEFAULT_CHAIN)
    label = "backward on " + forms.SHAPE_NOTES[shape].format(length=length)
    if not public:
        label = f"hidden case: {label}"
    if shape == "chain":
        report = sorted(i for i in {0, 1, 2, length // 2, length - 1, length} if i <= length)
        request = {"kind": "backward", "chain": length, "local_grads": list(forms.CHAIN_LOCAL_GRADS), "calls": 1,
                   "report": report}
        expected = forms.reference_chain_grads(length, report)
        return Case(spec.name, label, public, request, expected)
    return _backward_case(spec, forms.SHAPES[shape], label, public, calls=forms.CALLS.get(shape, 1))


def _backward_case(spec, nodes, label, public, calls=1):
    report = list(range(len(nodes)))
    request = {"kind": "backward", "nodes": [list(node) for node in nodes], "calls": calls, "report": report}
    return Case(spec.name, label, public, request, forms.reference_grads(nodes, calls, report))


def _random_graph(domains, rng):
    """A random DAG: a few leaves, then nodes using 1-3 earlier nodes (maybe one twice)."""
    kind, options = domains["nodes"]
    size = int(rng.choice(options)) if kind == "choices" else rng.randint(*map(int, rng.choice(options)))
    leaves = min(size, rng.randint(1, 3))
    nodes = [(round(rng.uniform(-3, 3), 3), (), ()) for _ in range(leaves)]
    for i in range(leaves, size):
        children = tuple(rng.randrange(i) for _ in range(rng.randint(1, 3)))
        local_grads = tuple(_sample(domains["local"], rng) for _ in children)
        nodes.append((round(rng.uniform(-3, 3), 3), children, local_grads))
    return nodes
