"""Why the student's class cannot answer a request, said so that they can act on it.

Runs in the child with the probe (standard library only: the sandbox sends its source along). Each
function turns something the student's class does into an Explained error, whose `error` is the
exception name a rubric's error hints match (AttributeError, TypeError) and whose message says, in
one or two sentences, what the class does, what the grader expected and what to change.
"""

import re

CONSTRUCTOR = "Value(data, children, local_grads)"  # how the grader builds the nodes of a backward test
GRAPH = ("_children", "_local_grads")  # where the grader reads a Value's graph (DESIGN §1)
OPERATORS = {"+": "add", "-": "sub", "*": "mul", "/": "truediv", "//": "floordiv", "%": "mod",
             "** or pow()": "pow", "@": "matmul"}
SYNTAX = {"Add": ("+", "add"), "Sub": ("-", "sub"), "Mult": ("*", "mul"), "Div": ("/", "truediv"), "Pow": ("**", "pow")}
BINARY = re.compile(r"unsupported operand type\(s\) for (.+): '(\w+)' and '(\w+)'")
UNARY = {"-": "neg", "+": "pos", "abs()": "abs"}


class Explained(Exception):
    """What the student's class did, as the sentence they read; `error` names the kind of error."""

    def __init__(self, error, message):
        super().__init__(message)
        self.error = error


def keeps_graph(x):
    """Does x keep its graph where the grader reads it (a Value of any class)?"""
    return all(hasattr(x, name) for name in GRAPH) and not isinstance(x, type)


def no_graph(what, x):
    """`what` (e.g. "a + b returned a Value") made an object that keeps no graph where the grader reads it."""
    missing = [name for name in GRAPH if not hasattr(x, name)]
    if not hasattr(x, "data") or not missing:
        return None
    return Explained("AttributeError", f"{what} with no {' and no '.join(missing)} ({_layout(x)}), so the grader "
                                       "cannot read its graph")


def built_without_graph(node):
    """A node the grader built with the constructor does not keep the children and local gradients given."""
    missing = [name for name in GRAPH if not hasattr(node, name)]
    if not missing:
        return None
    return Explained("AttributeError", f"the grader builds each node as {CONSTRUCTOR}, and yours kept no "
                                       f"{' and no '.join(missing)} ({_layout(node)}), so backward() cannot use "
                                       "the local gradients it was given")


def kept_elsewhere(node, children, local_grads):
    """A node the grader built keeps the children or local gradients it was given in another
    attribute than the grader reads (its constructor has another parameter in between)."""
    attributes = getattr(node, "__dict__", {})
    for name, given in zip(GRAPH, (children, local_grads)):
        if _holds(attributes.get(name), given):
            continue
        elsewhere = [other for other, kept in attributes.items() if other != name and _holds(kept, given)]
        if elsewhere:
            what = "children" if name == "_children" else "local gradients"
            return Explained("TypeError", f"the grader builds each node as {CONSTRUCTOR}, and yours kept the {what} "
                                          f"it was given in {elsewhere[0]}, not in {name}: give __init__ the parameters "
                                          "(self, data, children=(), local_grads=()), in this order")
    return None


def unordered_children(node):
    """A node that keeps two or more children in a set: which local gradient goes with which child
    then changes from run to run (a set's order follows the objects' addresses)."""
    children = node._children
    if not isinstance(children, (set, frozenset)) or len(children) < 2:
        return None
    return Explained("TypeError", f"a Value keeps its {len(children)} children in a {type(children).__name__}, which "
                                  "has no order, so its local gradients cannot be matched to them: store the children "
                                  "in a tuple, in the order of the local gradients")


def _holds(kept, given):
    """Does an attribute hold what the grader gave (the same Values, the same numbers, in order)?"""
    if not isinstance(kept, (tuple, list)) or len(kept) != len(given):
        return False
    return all(a is b or (type(a) in (int, float) and a == b) for a, b in zip(kept, given))


def _layout(x):
    if hasattr(x, "_prev") and hasattr(x, "_backward"):
        return "micrograd's layout: children in _prev, local gradients inside _backward"
    kept = [name for name in getattr(x, "__dict__", {}) if name != "data"]
    return f"it keeps {', '.join(kept)} besides data" if kept else "it keeps only data"


def constructor_refused(error, cls):
    """The TypeError of calling `cls(data, children, local_grads)` itself, before any of the student's code ran."""
    init = getattr(cls.__init__, "__code__", None)
    frames = []
    traceback = error.__traceback__
    while traceback is not None:
        frames.append(traceback.tb_frame.f_code)
        traceback = traceback.tb_next
    if not isinstance(error, TypeError) or init in frames:
        return None
    return Explained("TypeError", f"the grader builds each node as {CONSTRUCTOR}, and your {cls.__name__} refused it "
                                  f"({error}): give __init__ the parameters (self, data, children=(), local_grads=())")


def local_grads_of(node, children):
    """The node's local gradients as a tuple: a bare number is read as the one local gradient of its one child."""
    local_grads = node._local_grads
    if isinstance(local_grads, (int, float)) and len(children) == 1:
        return (local_grads,)
    if isinstance(local_grads, dict):  # its keys, read as a sequence, would be taken for the local gradients
        raise Explained("TypeError", "a Value stores its local gradients in a dict: store them in a tuple, one per "
                                     "child, in the children's order (a dict keyed by child holds a + a's child once)")
    try:
        return tuple(local_grads)
    except TypeError:
        pass
    kind = type(local_grads).__name__
    raise Explained("TypeError", f"a Value with {len(children)} children stores its local gradients as one {kind}: "
                                 "store one per child, in the children's order, in a tuple such as (1, 1)")


def missing_operator(error, cls):
    """The TypeError Python raises for an operator the class does not define at all, said as such."""
    if cls is None or not isinstance(error, TypeError):
        return None
    message = str(error)
    found = BINARY.fullmatch(message)
    if found:
        symbol, left, right = found.groups()
        name = OPERATORS.get(symbol)
        method = f"__{name}__" if left == cls.__name__ else f"__r{name}__"
        if name is None or cls.__name__ not in (left, right) or hasattr(cls, method):
            return None  # the method exists and refused this operand (returned NotImplemented)
        symbol = symbol.split()[0]
        side = " (a plain number on the left)" if left != cls.__name__ else ""
        return Explained("TypeError", f"{cls.__name__} has no {method} method, so {left} {symbol} {right}{side} "
                                      f"cannot be computed: define {method}(self, other)")
    for symbol, name in UNARY.items():
        if message == f"bad operand type for unary {symbol}: '{cls.__name__}'" and not hasattr(cls, f"__{name}__"):
            return Explained("TypeError", f"{cls.__name__} has no __{name}__ method, so {symbol}{cls.__name__} "
                                          f"cannot be computed: define __{name}__(self)")
    return None


def inherited_operator(target, scope, cls, out):
    """A target that returned a plain number because `cls`, a subclass of float or int, leaves the
    operator's method to that type, whose answer is a plain number (`4 - Value(1.5)` with no __rsub__)."""
    import ast

    builtin = next((kind for kind in (float, int) if isinstance(cls, type) and issubclass(cls, kind)), None)
    if builtin is None or type(out) not in (int, float):
        return None
    expression = ast.parse(target, mode="eval").body
    if isinstance(expression, ast.UnaryOp) and isinstance(expression.op, ast.USub):
        method, computed = "__neg__", f"-{cls.__name__}"
    elif isinstance(expression, ast.BinOp) and type(expression.op).__name__ in SYNTAX and \
            isinstance(expression.left, ast.Name) and isinstance(expression.right, ast.Name):
        symbol, name = SYNTAX[type(expression.op).__name__]
        left, right = scope.get(expression.left.id), scope.get(expression.right.id)
        method = f"__{name}__" if isinstance(left, cls) else f"__r{name}__"
        side = "" if isinstance(left, cls) else " (a plain number on the left)"
        computed = f"{type(left).__name__} {symbol} {type(right).__name__}{side}"
    else:
        return None
    if next((kind for kind in cls.__mro__ if method in vars(kind)), None) is not builtin:
        return None
    parameters = "self" if method == "__neg__" else "self, other"
    kind = builtin.__name__
    return Explained("TypeError", f"{cls.__name__} has no {method} method of its own, so {computed} used {kind}'s, "
                                  f"which returns a plain {kind}: define {method}({parameters})")
