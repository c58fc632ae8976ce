"""What a kind of check is, and what every kind shares.

A kind of check is a subclass of Check, named by the rubric's `check = "..."`:

    read(raw)                               the test's settings, from its table in the rubric
    draw(spec, namespace, rng)              its cases: the request each sends to the child, and the
                                            reference's answer (from `namespace`) to compare with
    compare(spec, case, expected, got, close)
                                            judge one case: return when `got` is right, else raise
                                            Mismatch, whose text is what the student reads
    picture(spec, case, got, close)         the student's graph of a failing visible case with what
                                            is wrong marked (a CaseGraph), or None
    cause(spec, case, got)                  a failing case's cause in another operation, or ""
    reorderings(request)                    the request walked in other orders (for known mistakes)
    public_settings(spec)                   the settings the examples are built from, for public tests

`close(got, expected)` compares two numbers within the test's tolerance.
"""

import math
from dataclasses import dataclass, field

from coursekit.grading.cases import Impossible
from coursekit.grading.protocol import answer_from_json
from coursekit.grading.reference import answer

OUTSIDE_DOMAIN = (ArithmeticError, ValueError)  # what the engine raises for the log of a negative...
MAX_PICTURE_NODES = 60  # a picture a student can read; bigger graphs (the long backward chain) are not drawn


class Check:
    name = ""

    def read(self, raw):
        """{TestSpec field: value} from the test's rubric table; TestProblem for a setting it cannot use."""
        raise NotImplementedError

    def draw(self, spec, namespace, rng):
        """(cases, how many drawn inputs the reference refused); Impossible when no case can be drawn."""
        raise NotImplementedError

    def compare(self, spec, case, expected, got, close):
        """Return when `got` answers the case like `expected`; raise Mismatch saying how it does not."""
        raise NotImplementedError

    def picture(self, spec, case, got, close):
        """The CaseGraph of a failing case (its inputs visible), or None when it has no picture."""
        return None

    def cause(self, spec, case, got):
        """Why a failing case fails when another operation is to blame, as the student reads it, or ""."""
        return ""

    def reorderings(self, request):
        """The same request walked in other orders that a right answer does not depend on (but a
        known mistake's may): the known mistakes are also run on these."""
        return ()

    def needs_value_class(self, spec):
        """Does the test call the submission's Value class (then nothing is graded without one)?"""
        return True

    def public_settings(self, spec):
        """{key: value} of the test's own settings that its examples are built from, written into the
        public tests so that `coursekit check` runs the examples the hidden tests run."""
        return {}

    def public_answer(self, expected):
        """The reference's answer as public tests freeze it (it may hide the reference's inner nodes)."""
        return expected


class Mismatch(Exception):
    """One check failed: what, and (shown for public cases only) the expected and actual numbers."""

    def __init__(self, what, expected=None, got=None):
        super().__init__(what)
        self.what, self.expected, self.got = what, expected, got

    def sentence(self, public):
        """What the student reads: the numbers only when the case's inputs are theirs to see."""
        if self.expected is None:
            return self.what
        if public:
            return f"{self.what}: expected {_show(self.expected)}, got {_show(self.got)}"
        return f"wrong {self.what}"


@dataclass(frozen=True)
class CaseGraph:
    """One failing case as plain numbers: nodes in the child's order (children first, root last)."""

    title: str
    data: tuple            # per node
    children: tuple        # per node: indices of its children
    local_grads: tuple     # per node: one per child, as the student stored them
    grads: tuple           # per node: d(root)/d(node) (op cases: our walk; backward: the student's grads)
    labels: tuple          # per node: a name ("a", "b", the expression) or ""
    wrong_edges: dict      # (node, child position) -> the expected local gradient
    wrong_grads: dict      # node -> the expected grad
    wrong_data: dict = field(default_factory=dict)  # node -> the expected data (a wrong output)


def closeness(tolerance):
    """close(got, expected) within the rubric's tolerance; only a float (what the child sends) can be close."""
    def close(got, expected):
        return isinstance(got, float) and math.isclose(got, expected, rel_tol=tolerance.rel, abs_tol=tolerance.abs)

    return close


def reference_answer(namespace, fixed_expected, request, what):
    """The answer the case expects: frozen in the rubric (public tests), else the reference's."""
    if fixed_expected:
        try:
            return answer_from_json(fixed_expected)
        except (ValueError, TypeError):
            raise Impossible(f"{what}: its expected answer is not JSON") from None
    try:
        return answer(namespace, request)
    except Exception as error:  # the instructor's code may raise anything: it is reported, not raised
        message = f"{what}: the reference raised {type(error).__name__}: {error}"
        raise Impossible(message, isinstance(error, OUTSIDE_DOMAIN)) from None


def fixed_cases(spec):
    """(FixedCase, public) for the examples (public) and the boundaries (public when show_inputs)."""
    return [(case, True) for case in spec.examples] + [(case, spec.show_inputs) for case in spec.boundaries]


def sample(domain, rng):
    kind = domain[0]
    if kind == "choices":
        return rng.choice(domain[1])
    if kind == "list":
        low, high = domain[1]
        return [sample(domain[2], rng) for _ in range(rng.randint(low, high))]
    low, high = rng.choice(domain[1])
    return round(rng.uniform(low, high), 3)


def _show(numbers):
    if isinstance(numbers, (tuple, list)):
        return "(" + ", ".join(f"{x:.6g}" for x in numbers) + ")"
    return f"{numbers:.6g}"
