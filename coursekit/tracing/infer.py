"""Name what a class without op names computed, from the numbers it stores.

The course's own `Value` (microGPT style) keeps `data`, `_children` and `_local_grads` but no op
name, so each op is recognised by its signature, read from the table of derivative rules
(`coursekit.rules`): the result and the local gradients that op would give for these children.
`+` has locals (1, 1) and data a + b; `*` has locals (b, a) and data a·b; `exp` has local = data;
`log` has local 1/a; `aⁿ` gives n away through its local n·aⁿ⁻¹ = n·data/a. Derived ops (neg,
sub, div) are built from these, so they are drawn as the primitives they are made of. What
matches no signature is drawn as `?`.

An unnamed intermediate gets the expression that made it, written from its children's names:
`a*b`, `a*b + c`, `exp(a*b + c)`; a long one keeps its outer shape and shows deeper parts as `…`.
"""

from coursekit.rules import recognise

UNKNOWN = "?"
MAX_EXPRESSION = 28  # characters; longer expressions are shortened


def infer_op(data, inputs, locals_):
    """The op that turns `inputs` (numbers) into `data` with these local gradients, or "?"."""
    if data is None or None in inputs or None in locals_:
        return UNKNOWN
    rule = recognise(data, inputs, locals_)
    return UNKNOWN if rule is None else rule.op


# Expressions: how tightly each op binds, so children are bracketed only where Python would need it.
INFIX = {"+": (" + ", 1), "*": ("*", 2)}
ATOM = 9


def expression(op, children):
    """The expression for an op over its children's texts [(text, binding)], as (text, binding)."""
    if op in INFIX:
        joiner, binding = INFIX[op]
        parts = [_bracket(children[0], binding)] + [_bracket(child, binding + 1) for child in children[1:]]
        return joiner.join(parts), binding
    if op.startswith("**") and len(children) == 1:
        return f"{_bracket(children[0], ATOM)}{op}", 3
    inside = ", ".join(text for text, _ in children)
    return f"{op or UNKNOWN}({inside})", ATOM


def _bracket(child, binding):
    text, own = child
    return f"({text})" if own < binding else text


def operand(text):
    """A named value or a number as an operand: binds tightest unless it is negative."""
    return text, (1 if text.startswith("-") else ATOM)


def short_expression(op, children, expressions):
    """The expression, or when it is too long the same op with `…` for each child that is itself an
    expression (`expressions[k]` says whether child k is), or just `…`."""
    full = expression(op, children)
    if len(full[0]) <= MAX_EXPRESSION:
        return full
    short = expression(op, [("…", ATOM) if deep else child for child, deep in zip(children, expressions)])
    return short if len(short[0]) <= MAX_EXPRESSION else ("…", ATOM)
