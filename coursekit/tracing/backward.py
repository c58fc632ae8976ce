"""`--grad`: run the student's backward() on a traced graph, and survive it failing.

The grads below the root are zeroed first, so the picture shows one backward pass. When backward()
raises (a local gradient of the wrong type, a recursive topological sort on a long chain, ...) every
grad is put back as it was, and the value it failed at is read from the traceback: what backward()
called when it failed (micrograd's `_backward` closure holds its `out`), else backward()'s own loop
(`for v in reversed(order)` holds `v` and its child), gives the values being worked on, and the one
nearest the output is the value whose grad was being passed down. The magic draws the forward
graph with that value in red.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class BackwardFailure:
    error: Exception
    position: int | None  # of the value it failed at, in the drawn graph; None when the traceback shows none

    def sentence(self, name, marked):
        """What the student reads; `name` is what the picture calls the value it failed at, drawn
        in red when `marked`."""
        text = str(self.error).splitlines()[0] if str(self.error) else ""
        raised = f"{type(self.error).__name__}: {text}" if text else type(self.error).__name__
        where = f" while passing down the grad of {name}" + (" (in red)" if marked else "") if name else ""
        why = RECURSION_HINT if isinstance(self.error, RecursionError) else "fix backward() and run the cell again"
        return f"%%trace --grad: backward() raised {raised}{where}. The grads are drawn as they were before it ran; {why}."


RECURSION_HINT = ("a recursive walk of the graph goes one Python call deeper per value, and Python stops at about "
                  "a thousand: build the topological order with a loop and a stack of your own")



def run_backward(root, below, position):
    """Zero the grads of the values `below` root (its Walk), then run root.backward().

    None when it ran; else, with every grad put back as it was, a BackwardFailure placed by
    `position` (id(value) -> its index in the drawn graph)."""
    values = [value for value in below.values if hasattr(value, "grad")]
    before = [value.grad for value in values]
    for value in values:
        value.grad = 0
    try:
        root.backward()
    except Exception as error:  # noqa: BLE001 - the student's backward() may raise anything; it is reported
        for value, grad in zip(values, before):
            value.grad = grad
        at = None if isinstance(error, RecursionError) else _failed_at(error, root, position)
        return BackwardFailure(error, at)
    return None


def _failed_at(error, root, position):
    """The index of the value whose grad backward() was passing down when it raised."""
    own = error.__traceback__.tb_next  # run_backward's own frame comes first, then backward()'s
    called = own.tb_next if own is not None else None
    for frame, skip in ((called, None), (own, root)):
        held = [position[id(obj)] for obj in frame.tb_frame.f_locals.values()
                if id(obj) in position and obj is not skip] if frame is not None else []
        if held:
            return min(held)
    return position.get(id(root))
