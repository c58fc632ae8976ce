"""Step 4: judge each answer of the child against the reference's, in the grading process.

Both answers have one shape (the probe computes both). Outputs are checked on their data; a
primitive operation (`check = "local_grads"`) on its children (identity and order) and local
gradients; everything else on the gradient of each output with respect to every input, computed
by our own walk over the student's children and local gradients (never the student's backward(),
so a broken backward costs only the backward points). A `backward` test reads the grads the
student's backward() left on the nodes.
"""

import math
from dataclasses import dataclass
from functools import partial

from coursekit.grading.protocol import Failure


@dataclass(frozen=True)
class CaseResult:
    test: str
    label: str
    public: bool
    passed: bool
    problem: str = ""  # what is wrong; for public cases with the expected and actual numbers
    hint: str = ""


class Mismatch(Exception):
    """One check failed: what, and (shown for public cases only) the expected and actual values."""

    def __init__(self, what, expected=None, got=None):
        super().__init__(what)
        self.what, self.expected, self.got = what, expected, got

    def describe(self, public):
        if self.expected is None:
            return self.what
        if public:
            return f"{self.what}: expected {_show(self.expected)}, got {_show(self.got)}"
        return f"wrong {self.what}"


def compare(test, answers):
    """A CaseResult for each case of a TestPlan, given the child's answers in order."""
    return [compare_case(test.spec, case, answer) for case, answer in zip(test.cases, answers)]


def compare_case(spec, case, answer):
    if isinstance(answer, Failure):
        return CaseResult(case.test, case.label, case.public, False, answer.sentence)
    mismatch = judge(spec, case, case.expected, answer)
    if mismatch is not None:
        return CaseResult(case.test, case.label, case.public, False, mismatch.describe(case.public))
    return CaseResult(case.test, case.label, case.public, True)


def judge(spec, case, expected, got):
    """None when `got` agrees with `expected` within the test's tolerance, else the Mismatch."""
    close = partial(_close, rel_tol=spec.tolerance.rel, abs_tol=spec.tolerance.abs)
    try:
        if spec.check == "backward":
            _check_grads(expected.grads, got.grads, close)
        else:
            _check_outputs(spec, case, expected, got, close)
    except Mismatch as mismatch:
        return mismatch
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):
        return Mismatch("the child's answer could not be read")
    return None


def _check_grads(expected, got, close):
    if len(got) != len(expected):
        raise ValueError("one grad per reported node")
    if not all(map(close, got, expected)):
        raise Mismatch("grads after backward()", tuple(expected), tuple(got))


def _check_outputs(spec, case, expected, got, close):
    wanted, outputs = expected.outputs, got.outputs
    if len(outputs) != len(wanted):
        raise Mismatch(f"expected {len(wanted)} output(s), got {len(outputs)}")
    for position, (mine, theirs) in enumerate(zip(outputs, wanted), start=1):
        if isinstance(mine, dict) != isinstance(theirs, dict):
            which = case.target.expression if len(wanted) == 1 else f"output {position} of {case.target.expression}"
            got, kind = ("a number", "a Value") if isinstance(mine, dict) else ("a Value", "a number")
            raise Mismatch(f"{which} returned {got}, not {kind}")
    data_wanted, data_got = _data(expected), _data(got)
    if not all(map(close, data_got, data_wanted)):
        raise Mismatch("data", _one(data_wanted), _one(data_got))
    if spec.check == "local_grads" and is_primitive(expected):
        _check_structure(case, expected, got, close)
    else:
        _check_gradients(case, expected, got, close)


def _data(answer):
    return tuple(out["number"] if isinstance(out, dict) else answer.data[out] for out in answer.outputs)


def _one(numbers):
    return numbers[0] if len(numbers) == 1 else numbers


def is_primitive(expected):
    """One Value output whose children are all inputs: checkable on its children and local grads."""
    outputs = expected.outputs
    if len(outputs) != 1 or isinstance(outputs[0], dict):
        return False
    return all(child in expected.inputs for child in expected.children[outputs[0]])


def _check_structure(case, expected, got, close):
    names = case.target.names if case.target else ()
    values = [name for name in names if name in case.target.values]
    root, wanted_root = got.outputs[0], expected.outputs[0]
    wanted = [got.inputs[expected.inputs.index(child)] for child in expected.children[wanted_root]]
    children = got.children[root]
    if children != wanted:
        labels = {node: name for name, node in zip(values, got.inputs) if node is not None}
        shown = ", ".join(labels.get(child, "another Value") for child in children)
        want = ", ".join(values[expected.inputs.index(child)] for child in expected.children[wanted_root])
        order = " (wrong order)" if sorted(children) == sorted(wanted) else ""
        raise Mismatch(f"children{order}: expected the input Values ({want}) themselves, got ({shown})")
    local_grads, wanted_grads = got.local[root], expected.local[wanted_root]
    if len(local_grads) != len(wanted_grads):
        raise Mismatch(f"expected {len(wanted_grads)} local gradient(s), one per child, got {len(local_grads)}")
    if not all(map(close, local_grads, wanted_grads)):
        raise Mismatch("local gradients", tuple(wanted_grads), tuple(local_grads))


def _check_gradients(case, expected, got, close):
    if len(got.inputs) != len(expected.inputs):
        raise Mismatch(f"expected {len(expected['inputs'])} Values to differentiate by (inputs and parameters), "
                       f"got {len(got['inputs'])}")
    wanted, grads = input_grads(expected), input_grads(got)
    if not all(map(close, grads, wanted)):
        target = case.target
        names = [name for name in target.names if name in target.values] + (["the parameters"] if target.wrt else [])
        what = f"gradient w.r.t. {', '.join(names)} (through your _children and _local_grads)"
        raise Mismatch(what, _one(wanted), _one(grads))


def input_grads(answer):
    """d(output)/d(input) for each Value output and each input, by a walk over the answer's graph."""
    grads = []
    for output in answer.outputs:
        if isinstance(output, dict):
            continue
        grad = node_grads(answer.children, answer.local, output)
        grads.extend(0.0 if node is None or node > output else grad[node] for node in answer.inputs)
    return tuple(grads)


def node_grads(children, local, output):
    """d(output)/d(node) for the nodes 0..output, by the chain rule over the stored local gradients
    (children come before their users, as the child lists them)."""
    grad = [0.0] * (output + 1)
    grad[output] = 1.0
    for node in range(output, -1, -1):
        if len(children[node]) != len(local[node]):
            raise Mismatch(f"a Value has {len(children[node])} children but {len(local[node])} local gradients")
        for child, local_grad in zip(children[node], local[node]):
            if not 0 <= child < node:
                raise ValueError("children must come before their users")
            grad[child] += local_grad * grad[node]
    return grad


def _close(got, expected, rel_tol, abs_tol):
    return isinstance(got, float) and math.isclose(got, expected, rel_tol=rel_tol, abs_tol=abs_tol)


def _show(numbers):
    if isinstance(numbers, (tuple, list)):
        return "(" + ", ".join(f"{x:.6g}" for x in numbers) + ")"
    return f"{numbers:.6g}"
