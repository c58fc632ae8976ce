"""The reference side: the child's requests answered here, with coursekit's engine and the
reference code in the assignment's folder, by the probe's own code (so both answers have one shape).

The namespace a target is evaluated in holds `Value` (coursekit's engine), `math`, `random`, and
every public name the assignment folder's .py files define (a `sin` function, a `Value` subclass
with more operations, Neuron...). A known mistake is that namespace with the mistake's code run in it.
"""

import math
import random

from coursekit.engine import Value, paused_gc
from coursekit.grading import probe, protocol
from coursekit.grading.settings import RubricError, shown_path


def reference_namespace(folder):
    namespace = {"Value": Value, "math": math, "random": random}
    for path in sorted(folder.glob("*.py")):
        module = {"__name__": f"coursekit_reference_{path.stem}", "__file__": str(path)}
        try:
            exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), module)  # noqa: S102 - the instructor's code
        except Exception as error:
            where = f"{shown_path(path)}:{_line(error, path)}"
            raise RubricError(f"{where}: the reference code raised {type(error).__name__}: {error}") from None
        namespace.update({name: value for name, value in module.items() if not name.startswith("_")})
    return namespace


def mistake_namespace(namespace, mistake):
    """The reference with a known mistake's code run over it (it may redefine Value or a function)."""
    variant = dict(namespace)
    exec(compile(mistake.code, "mistake", "exec"), variant)  # noqa: S102 - the instructor's code
    return variant


def answer(namespace, request):
    """What the reference (or a variant) answers to a request; raises what its code raises."""
    with paused_gc():  # graphs of up to 10^5 nodes: the cyclic collector would only slow this down
        return probe.run(namespace, protocol.fresh(request))


def _line(error, path):
    traceback = error.__traceback__
    line = 0
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == str(path):
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return getattr(error, "lineno", None) if isinstance(error, SyntaxError) else line
