"""The operations a student's graph is built from, recognised from its numbers by the derivative
table (coursekit.rules), and the first of them whose local gradients break its rule: when `sub`
is built from `mul` and `mul` stores its local gradients the wrong way round, sub fails because
of mul, and the student is told so rather than shown sub's numbers alone."""

from coursekit.rules import RULES, close, power, recognise

# What a node of a student's class may compute (their class has no many-term sum or dot): the
# rules of the table, and powers with the usual exponents, so that a result a power also gives
# (1 ** -1 is 1, as is relu(1)) is not blamed on one operation when it may be the other's.
CANDIDATES = tuple(rule for rule in RULES if rule.arity and not rule.op.startswith("**")) + \
    tuple(power(n) for n in (-2, -1, -0.5, 0.5, 1, 2, 3, 4))


def broken_operation(answer, root):
    """(rule, how) for the first node under `root` whose result exactly one rule computes from its
    children while its local gradients are not that rule's ("swapped" or "wrong"); None if none is."""
    for node in _below(answer, root):
        xs = [answer.data[child] for child in answer.children[node]]
        out, local = answer.data[node], answer.local[node]
        if not xs or len(local) != len(xs) or recognise(out, xs, local):
            continue
        computing = [(rule, wanted) for rule in CANDIDATES if (wanted := _local_grads(rule, out, xs)) is not None]
        if len(computing) == 1:
            rule, wanted = computing[0]
            swapped = len(xs) == 2 and all(map(close, local, wanted[::-1]))
            return rule, "swapped" if swapped else "wrong"
    return None


def cause(test, answer):
    """The sentence saying that `test` fails because of another operation its graph is built from, or ""."""
    for root in answer.outputs:
        found = None if isinstance(root, dict) else broken_operation(answer, root)
        if found is not None and found[0].name != test:
            rule, how = found
            return (f"{test} fails because {rule.name}'s local gradients are {how} (your {test} is built from "
                    f"{rule.name}): fix {rule.name} first")
    return ""


def _below(answer, root):
    """The nodes under root, children before their users (as the child numbers them)."""
    seen, stack = set(), [root]
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(answer.children[node])
    return sorted(seen)


def _local_grads(rule, out, xs):
    """The rule's local gradients when it computes `out` from `xs`, else None."""
    if rule.arity != len(xs):
        return None
    try:
        if close(out, rule.forward(*xs)):
            return rule.local_grads(out, *xs)
    except (ArithmeticError, ValueError, TypeError):  # outside the rule's domain: not this rule
        pass
    return None
