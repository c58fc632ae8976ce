"""Targeted hints: when an answer is wrong, does it look like one of the classic mistakes?

Each mistake is recomputed here, in the grading process, from the case's inputs; a hint is given
when the student's numbers match the mistaken formula (and, by then, not the right one).
"""

OPERATOR_DUNDERS = {"+": "add", "*": "mul", "-": "sub", "/": "truediv"}
MUL_NOT_SWAPPED = "mul's local gradients are not swapped: d(a*b)/da is b and d(a*b)/db is a"

LOCAL_GRAD_MISTAKES = {
    "a * b": [
        (lambda a, b: (a, b), MUL_NOT_SWAPPED),
    ],
    "a ** b": [
        (lambda a, n: (a ** (n - 1),), "pow is missing the factor n: d(a**n)/da = n * a**(n-1)"),
        (lambda a, n: (n * a**n,), "pow keeps the exponent n: d(a**n)/da = n * a**(n-1), not n * a**n"),
        (lambda a, n: ((n - 1) * a ** (n - 1),), "pow multiplies by n-1: d(a**n)/da = n * a**(n-1), the factor is n"),
        (lambda a, n: (n * a ** (n - 2),), "pow lowers the exponent twice: d(a**n)/da = n * a**(n-1)"),
    ],
    "a.exp()": [
        (lambda a: (a,), "exp's gradient is taken from the input: d(exp(a))/da is exp(a), the output, not a"),
    ],
    "a.log()": [
        (lambda a: (a,), "log's gradient is 1/a, not a"),
    ],
    "a.relu()": [
        (lambda a: (float(a >= 0),), "relu's gradient at 0 must be 0: test data > 0, not >= 0"),
    ],
}


# Mistakes seen through the gradient w.r.t. the Value inputs (forms with a plain number).
GRADIENT_MISTAKES = {
    ("a * b", "a"): [(lambda a, b: (a,), MUL_NOT_SWAPPED)],
    ("a * b", "b"): [(lambda a, b: (b,), MUL_NOT_SWAPPED)],
}


def local_grads_hint(form, numbers, got, close):
    return _matching_hint(LOCAL_GRAD_MISTAKES.get(form.expression, ()), numbers, got, close)


def gradients_hint(form, numbers, got, close):
    return _matching_hint(GRADIENT_MISTAKES.get((form.expression, form.values), ()), numbers, got, close)


def _matching_hint(mistakes, numbers, got, close):
    for mistake, hint in mistakes:
        try:
            wrong = mistake(*numbers)
        except (ArithmeticError, ValueError):
            continue
        if len(wrong) == len(got) and all(not isinstance(w, complex) and close(g, w) for g, w in zip(got, wrong)):
            return hint
    return ""


def error_hint(case, answer):
    kind, message = answer.get("error"), str(answer.get("message", ""))
    if kind == "RecursionError" and case.test == "backward":
        return "build the topological order with a loop and an explicit stack: a recursive walk overflows on deep graphs"
    if kind == "AttributeError" and ("_children" in message or "_local_grads" in message):
        return "store the inputs in self._children and their local gradients in self._local_grads (these names)"
    if kind == "TypeError" and "unsupported operand" in message and case.form is not None:
        return _operand_hint(case.form)
    return ""


def _operand_hint(form):
    symbol = form.expression.split()[1]
    if symbol not in OPERATOR_DUNDERS:
        return ""
    name = OPERATOR_DUNDERS[symbol]
    if form.values == "b":
        return f"define __r{name}__ so that a plain number on the left works (3 {symbol} Value(2.0))"
    return f"__{name}__ must accept a plain number too: wrap it in a Value"


# -- backward -------------------------------------------------------------------------------------


def backward_hint(request, got, close):
    """Replay the classic wrong walks on the case's graph and see whether one gives the student's grads."""
    if "nodes" not in request:
        return ""
    nodes, calls = request["nodes"], request["calls"]
    if all(g == 0 for g in got):
        return "backward() must start by setting the output's grad to 1"
    size = len(nodes)
    mistakes = [
        (_walk(nodes, 1, range(size - 1, -1, -1), accumulate=True) if calls > 1 else None,
         "calling backward() twice must add to the grads (as in PyTorch): don't reset the grads inside backward()"),
        (_walk(nodes, calls, range(size - 1, -1, -1), accumulate=False),
         "backward overwrites (grad = ...) instead of accumulating (grad += ...): a node used twice loses a path"),
        (_walk(nodes, calls, range(size), accumulate=True),
         "backward walks the graph in the wrong direction: visit the output first (reverse topological order)"),
        (_walk(nodes, calls, _breadth_first(nodes), accumulate=True),
         "backward visits a node before all the nodes that use it are done: walk in reverse topological order"),
    ]
    for grads, hint in mistakes:
        if grads is not None and all(close(g, w) for g, w in zip(got, grads)):
            return hint
    return ""


def _walk(nodes, calls, order, accumulate):
    order = list(order)
    grads = [0.0] * len(nodes)
    for _ in range(calls):
        grads[-1] = 1.0
        for i in order:
            for child, local in zip(nodes[i][1], nodes[i][2]):
                grads[child] = grads[child] + local * grads[i] if accumulate else local * grads[i]
    return grads


def _breadth_first(nodes):
    order, seen = [len(nodes) - 1], {len(nodes) - 1}
    for i in order:
        for child in nodes[i][1]:
            if child not in seen:
                seen.add(child)
                order.append(child)
    return order
