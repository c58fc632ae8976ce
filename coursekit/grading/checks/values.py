"""`check = "values"`: a target's outputs, and the gradient of each with respect to every input.

The target is code run in the submission (`a * b`, `softmax(xs)`, `Neuron(3)(xs)`). Its outputs
are checked on their data; then the gradient of each Value output with respect to every input
(and every parameter named by `wrt`), computed by our own walk over the student's children and
local gradients, so that a derived operation may be built from primitives in any way.
"""

from coursekit.grading.cases import Case, Impossible
from coursekit.grading.checks.base import (
    MAX_PICTURE_NODES,
    CaseGraph,
    Check,
    Mismatch,
    fixed_cases,
    reference_answer,
    sample,
)
from coursekit.grading.checks.operations import cause
from coursekit.grading.checks.walk import input_grads, node_grads
from coursekit.grading.protocol import AnswerGraph
from coursekit.grading.settings import SETTINGS, FixedCase, TestProblem, read_domain
from coursekit.grading.targets import CASE_SETTINGS, TargetError, parse_case, parse_target

MAX_DRAWS = 200  # attempts to find an input inside the operation's domain (log of a negative...)


class Values(Check):
    name = "values"

    # -- the rubric ---------------------------------------------------------------------------

    def read(self, raw):
        texts = raw.get("target")
        texts = [texts] if isinstance(texts, str) else texts
        if not texts or not all(isinstance(text, str) for text in texts):
            raise TestProblem('needs target = "an expression" (or a list of them), e.g. "Value(a) + Value(b)"', "target")
        references = raw.get("reference", texts)
        references = [references] if isinstance(references, str) else references
        if not isinstance(references, list) or len(references) != len(texts):
            raise TestProblem("reference must be one expression per target", "reference")
        unknown_keys = [key for key in raw if key not in SETTINGS]
        tables = [case for key in ("examples", "boundaries") for case in raw.get(key, []) if isinstance(case, dict)]
        inputs = unknown_keys + [key for case in tables for key in case if key not in CASE_SETTINGS]
        setup, wrt = raw.get("setup", ""), raw.get("wrt", "")
        targets = tuple(parse_target(text, setup, wrt, inputs) for text in texts)
        reference_targets = tuple(parse_target(text, setup, wrt, inputs) for text in references)
        used = {name for target in targets for name in target.names}
        strays = [key for key in unknown_keys if key not in used]
        if strays:
            raise TestProblem(f"has unknown key(s) {strays} (neither a setting nor an input of the target)", strays[0])
        for target, reference in zip(targets, reference_targets):
            if set(reference.names) != set(target.names):
                raise TestProblem(f"reference {reference.text!r} must use the inputs of {target.text!r}", "reference")
        domains = {name: read_domain(name, raw[name]) for name in used if name in raw}
        if raw.get("cases"):
            missing = sorted(used - set(domains))
            if missing:
                raise TestProblem(f"draws random cases: it needs the domain(s) {missing}", "cases")
        return dict(targets=targets, references=reference_targets, domains=domains, setup=setup, wrt=wrt,
                    examples=_fixed(raw.get("examples", []), targets, "examples"),
                    boundaries=_fixed(raw.get("boundaries", []), targets, "boundaries"))

    # -- the cases ----------------------------------------------------------------------------

    def draw(self, spec, namespace, rng):
        cases = []
        for fixed, public in fixed_cases(spec):
            target = spec.targets[fixed.target]
            label = (fixed.label or target.label(fixed.inputs)) if public else f"hidden case: {target.without_inputs()}"
            cases.append(_case(spec, len(cases), fixed.target, fixed.inputs, label, public, namespace, fixed.expected))
        rejected = 0
        for _ in range(spec.cases):
            for _attempt in range(MAX_DRAWS):
                index = rng.randrange(len(spec.targets))
                target = spec.targets[index]
                inputs = {name: sample(spec.domains[name], rng) for name in target.names}
                label = target.label(inputs) if spec.show_inputs else f"hidden case: {target.without_inputs()}"
                try:
                    cases.append(_case(spec, len(cases), index, inputs, label, spec.show_inputs, namespace))
                    break
                except Impossible as error:
                    if not error.outside_domain:
                        raise
                    rejected += 1
            else:
                raise Impossible(f"no input in its domains that the reference accepts after {MAX_DRAWS} draws")
        return cases, rejected

    def needs_value_class(self, spec):
        return any(target.values for target in spec.targets)

    def public_answer(self, expected):
        return compact(expected)

    # -- one case -----------------------------------------------------------------------------

    def compare(self, spec, case, expected, got, close):
        wanted, outputs = expected.outputs, got.outputs
        if len(outputs) != len(wanted):
            raise Mismatch(f"expected {len(wanted)} output(s), got {len(outputs)}")
        for position, (mine, theirs) in enumerate(zip(outputs, wanted), start=1):
            if isinstance(mine, dict) != isinstance(theirs, dict):
                which = case.target.expression if len(wanted) == 1 else f"output {position} of {case.target.expression}"
                returned, kind = ("a number", "a Value") if isinstance(mine, dict) else ("a Value", "a number")
                raise Mismatch(f"{which} returned {returned}, not {kind}")
        data_wanted, data_got = _data(expected), _data(got)
        if not all(map(close, data_got, data_wanted)):
            raise Mismatch("data", _one(data_wanted), _one(data_got))
        self.compare_graph(case, expected, got, close)

    def compare_graph(self, case, expected, got, close):
        """The outputs' data agree: now their gradients with respect to every input."""
        if len(got.inputs) != len(expected.inputs):
            raise Mismatch(f"expected {len(expected.inputs)} Values to differentiate by (inputs and parameters), "
                           f"got {len(got.inputs)}")
        wanted, grads = input_grads(expected), input_grads(got)
        if not all(map(close, grads, wanted)):
            target = case.target
            names = [name for name in target.names if name in target.values] + (["the parameters"] if target.wrt else [])
            what = f"gradient w.r.t. {', '.join(names)} (through your _children and _local_grads)"
            raise Mismatch(what, _one(wanted), _one(grads))

    def picture(self, spec, case, got, close):
        """The graph of a target with one Value output, as the student's class built it: its inputs
        named as the test names them, the wrong output and wrong gradients with what was expected."""
        outputs = [output for output in got.outputs if not isinstance(output, dict)]
        if len(outputs) != 1 or outputs[0] >= MAX_PICTURE_NODES:
            return None
        root = outputs[0]
        data, children, local_grads = (numbers[:root + 1] for numbers in (got.data, got.children, got.local))
        labels = [""] * len(data)
        for name, node in zip(input_names(case.request, [data[node] if node is not None and node <= root else None
                                                         for node in got.inputs]), got.inputs):
            if node is not None and node <= root and not labels[node]:
                labels[node] = name
        labels[root] = case.target.expression
        grads = node_grads(children, local_grads, root)
        wrong_grads = {node: want for node, want in zip(got.inputs, input_grads(case.expected))
                       if node is not None and node <= root and not close(grads[node], want)}
        wanted = _data(case.expected)
        wrong_data = {root: wanted[0]} if len(wanted) == 1 and not close(data[root], wanted[0]) else {}
        return CaseGraph(case.label, tuple(data), _tuples(children), _tuples(local_grads), tuple(grads), tuple(labels),
                         self.wrong_edges(case, got, root, close), wrong_grads, wrong_data)

    def cause(self, spec, case, got):
        """The operation the target is built from that breaks its rule ("sub fails because mul's ...")."""
        return cause(spec.name, got)

    def wrong_edges(self, case, got, root, close):
        """{(node, child position): expected local gradient} to mark in the picture: none for a target."""
        return {}


def _fixed(cases, targets, key):
    if not isinstance(cases, list):
        raise TestProblem(f"{key} must be a list of cases", key)
    fixed = []
    for case in cases:
        try:
            index, inputs = parse_case(case, targets)
        except TargetError as error:
            raise TestProblem(f"{key}: {error}", key) from None
        label = case if isinstance(case, str) else case.get("label", "")
        expected = case.get("expected", "") if isinstance(case, dict) else ""
        fixed.append(FixedCase(index, inputs, label, expected))
    return tuple(fixed)


def _case(spec, number, index, inputs, label, public, namespace, fixed_expected=""):
    target, reference = spec.targets[index], spec.references[index]
    request, reference_request = target.request(inputs), reference.request(inputs)
    expected = reference_answer(namespace, fixed_expected, reference_request, f"case {label}")
    return Case((spec.name, number), label, public, request, expected, target, reference_request)


def input_names(request, data):
    """A name for each Value the child located as an input (`data`: its number, or None), in the
    child's order: the Value inputs as the test names them (`a`, `xs[1]`, `m[0][2]`), then the
    `wrt` parameters, named after the list of numbers they were set from when their data match it
    in order (`weights[3]`), else `parameter 3`."""
    names = [label for name, is_value, numbers in request.inputs if is_value for label, _ in _indexed(name, numbers)]
    parameters = data[len(names):]
    lists = [[(label, number) for label, number in _indexed(name, numbers)]
             for name, is_value, numbers in request.inputs if not is_value and isinstance(numbers, list)]
    source = next((found for found in lists if len(found) == len(parameters) and any(got is not None for got in parameters)
                   and all(got is None or isinstance(number, (int, float)) and abs(number - got) <= 1e-12
                           for (_, number), got in zip(found, parameters))), None)
    return names + ([label for label, _ in source] if source else [f"parameter {i}" for i in range(len(parameters))])


def _indexed(name, numbers):
    """(name with its index, number) for each number of a possibly nested list, in the child's order."""
    if not isinstance(numbers, list):
        return [(name, numbers)]
    return [pair for i, item in enumerate(numbers) for pair in _indexed(f"{name}[{i}]", item)]


def _data(answer):
    return tuple(out["number"] if isinstance(out, dict) else answer.data[out] for out in answer.outputs)


def _one(numbers):
    return numbers[0] if len(numbers) == 1 else numbers


def _tuples(lists):
    return tuple(tuple(items) for items in lists)


def compact(answer):
    """The same judgement from fewer numbers, so that the reference's inner nodes stay private:
    the inputs as leaves, and each output a node over them whose local gradients are the output's
    gradients, plus a leaf that is no input (a primitive keeps its own children and local
    gradients, which are all inputs)."""
    leaves = [node for node in dict.fromkeys(answer.inputs) if node is not None]
    position = {node: index for index, node in enumerate(leaves)}
    data, children, local = [answer.data[node] for node in leaves], [[] for _ in leaves], [[] for _ in leaves]
    data.append(0.0)  # a leaf that is no input: it keeps a composite output from looking primitive
    children.append([])
    local.append([])
    grads = iter(input_grads(answer))
    outputs = []
    for out in answer.outputs:
        if isinstance(out, dict):
            outputs.append(out)
            continue
        by_input = dict(zip(answer.inputs, [next(grads) for _ in answer.inputs]))
        if out in position:
            outputs.append(position[out])
            continue
        if all(child in position for child in answer.children[out]):
            children.append([position[child] for child in answer.children[out]])
            local.append(list(answer.local[out]))
        else:
            children.append(list(range(len(leaves) + 1)))
            local.append([by_input[node] for node in leaves] + [0.0])
        data.append(answer.data[out])
        outputs.append(len(data) - 1)
    inputs = [None if node is None else position[node] for node in answer.inputs]
    return AnswerGraph(outputs, data, children, local, inputs)
