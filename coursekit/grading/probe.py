"""The grader's side of the child process: import the submission and answer requests with numbers.

Run by coursekit.grading.sandbox as `python -I -S -B -u -c <program> REQUESTS ANSWERS` in the staged
folder, where REQUESTS and ANSWERS are the pipes the messages of coursekit.grading.protocol travel
on. The first message, the Hello, gives the limits: they are locked before any student code runs.
Then it imports the submission (value.py or a chapter notebook's cells), says Ready, and answers
each request with one message carrying the request's id. Answers hold plain numbers only: the
expected values exist in the grading process alone, so nothing the submission patches or prints
here changes a grade. Standard library only: coursekit is deliberately not importable in the child
(the sandbox sends the protocol's source along). The grading process imports this module too and
runs the same requests on its reference code, so that the expected answers have exactly the shape
of the student's.
"""

import gc
import importlib
import os
import resource
import sys
import types

from coursekit.grading import explain, protocol

RESERVE_BYTES = 1 << 20  # set aside while the submission runs, to describe what it raised (answer_of)
MAX_ANSWER_NODES = 10_000  # nodes of one answer's graph: more is a runaway loop, not an exercise
NOTEBOOK = "_notebook.py"  # where coursekit.grading.load stages a notebook's cells
WITHOUT_NOTEBOOK = "without notebook"  # in the names of value.py graded alone: the missing notebook (not a Python name)
CELL = r"^# %% (cell .*)\n"  # written by coursekit.grading.load; the group names the cell
REFUSAL = (
    "the submission uses coursekit's reference engine; grading needs your own Value class "
    "(only coursekit's drawing helpers, draw_dot and %%trace, may be used)"
)


class Unusable(Exception):
    """The submission's answer cannot be turned into numbers (the message says why)."""


def main(argv):
    requests = os.fdopen(int(argv[1]), "r", encoding="utf-8")
    answers = os.fdopen(int(argv[2]), "w", encoding="utf-8")
    hello_id, hello = protocol.decode(requests.readline())
    limit_resources(hello.memory_mb, hello.file_mb)
    # The cyclic collector would spend most of a 10^5-node case re-scanning the graph; a graph
    # of Values frees itself by reference counting, and RLIMIT_AS bounds whatever cycles remain.
    gc.disable()
    sys.path.insert(0, os.getcwd())
    for name in [name for name in sys.modules if name.startswith("coursekit.")]:
        del sys.modules[name]  # the protocol, sent with this program: the submission imports none of coursekit
    sys.modules["coursekit"] = drawing_only_coursekit()
    sys.meta_path.insert(0, RefuseCoursekitModules())
    # Every answer repeats the id of its request, drawn by the parent at random, so that lines the
    # submission itself writes to the pipe are recognised and ignored.
    started = answer_of(lambda: start(hello.entry, hello.needs), hello.memory_mb)
    if isinstance(started, protocol.Failure):
        send(answers, hello_id, started)
        return
    namespace, notes = started
    send(answers, hello_id, protocol.Ready(notes))
    for line in requests:
        request_id, request = protocol.decode(line)
        send(answers, request_id, answer_of(lambda request=request: run(namespace, request), hello.memory_mb))


def answer_of(work, memory_mb):
    """work()'s result, or the Failure of what it raised.

    Memory is set aside while the submission runs and given back to describe its error: a
    submission that filled the memory to the last byte leaves none to describe its MemoryError
    (whose traceback still holds everything it allocated).
    """
    try:
        reserve = bytearray(RESERVE_BYTES)  # in the try: an earlier case may have left no room for it
        return work()
    except BaseException as error:
        reserve = None  # noqa: F841  given back before the error is described
        return failure_of(error, memory_mb)


def limit_resources(memory_mb, file_mb):
    """Soft and hard limits both, so that the submission cannot raise them again."""
    wanted = {
        resource.RLIMIT_AS: memory_mb << 20,
        resource.RLIMIT_FSIZE: file_mb << 20,
        resource.RLIMIT_NPROC: 0,  # no new processes (ignored for root: the parent reaps those)
        resource.RLIMIT_CORE: 0,
    }
    for limit, value in wanted.items():
        hard = resource.getrlimit(limit)[1]
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(limit, (value, value))


def send(answers, request_id, answer):
    answers.write(protocol.encode(answer, request_id))
    answers.flush()


# -- coursekit inside the child: the drawing helpers do nothing, the engine is refused ---------


def drawing_only_coursekit():
    module = types.ModuleType("coursekit", "Stand-in for coursekit while grading: drawing is a no-op.")
    module.draw_dot = lambda *args, **kwargs: None
    module.trace = lambda *args, **kwargs: ([], [])
    module.load_ipython_extension = lambda *args, **kwargs: None
    module.__all__ = ["draw_dot", "trace"]
    module.__path__ = []  # a package, so that `import coursekit.engine` reaches RefuseCoursekitModules

    def refuse(name):
        if name.startswith("__"):  # the import system probing the module (__path__, __spec__...)
            raise AttributeError(name)
        raise ImportError(REFUSAL)

    module.__getattr__ = refuse
    return module


class RefuseCoursekitModules:
    def find_spec(self, name, path=None, target=None):
        if name.startswith("coursekit."):
            raise ImportError(REFUSAL)
        return None


def start(entry, needs):
    """(namespace, notes) of the submission, imported, with the names every test needs defined."""
    namespace, notes = import_submission(entry)
    require(namespace, needs, entry, notes)
    return namespace, notes


def import_submission(entry):
    """The names the targets are looked up in: a module's, or those a notebook's cells define.

    `entry` is "module:NAME" (import NAME.py) or "notebook:NAME.ipynb" (its cells, staged as NOTEBOOK).
    """
    kind, _, name = entry.partition(":")
    if kind == "module":
        return vars(importlib.import_module(name)), []
    if os.path.isfile(NOTEBOOK):
        return run_cells(NOTEBOOK)
    if os.path.isfile("value.py"):  # value.py alone: its tests are graded, the notebook's functions are missing
        names = {**vars(importlib.import_module("value")), WITHOUT_NOTEBOOK: name}
        return names, [f"the submission has no notebook {name}"]
    raise Unusable(f"the submission has no notebook {name}")


def require(namespace, names, entry, notes):
    """The names every test needs (the Value class) are defined, or nothing can be graded."""
    for name in names:
        if isinstance(namespace.get(name), Unavailable):
            raise Unusable(namespace[name].reason)
    missing = [name for name in names if name not in namespace]
    if missing:
        where = entry.partition(":")[2]
        where = f"{where}.py" if entry.startswith("module:") else f"the notebook {where}"
        failed = f" ({notes[0]})" if notes else ""
        kind = "class" if missing[0][:1].isupper() else "function"
        raise Unusable(f"{where} defines no {kind} named {missing[0]}{failed}")


def run_cells(path):
    """Run the definitions of a notebook's cells in order, going on after an error.

    Only what defines names runs: imports, functions, classes, and assignments of constants.
    Exploration, plots and training loops do not, so a cell that calls a hanging function (or
    a plotting library the grader lacks) costs nothing but the tests of that function.
    """
    import ast  # here, as re below: a module submission starts faster without them
    import re

    with open(path, encoding="utf-8") as file:
        pieces = re.split(CELL, file.read(), flags=re.MULTILINE)
    module = types.ModuleType("notebook")
    module.__file__ = os.path.abspath(path)
    if not os.path.isfile("value.py"):  # a notebook that holds the class is the value module
        sys.modules["value"] = module
    notes = []
    for cell, source in zip(pieces[1::2], pieces[2::2]):
        try:
            statements = ast.parse(source, cell).body
        except SyntaxError as error:
            notes.append(f"{cell} failed: {failure_of(error, 0).message}")
            continue
        failed = None
        for statement in filter(defines, statements):
            try:
                exec(compile(ast.Module([statement], []), cell, "exec"), module.__dict__)
            except ImportError as error:  # a library the grader lacks, or coursekit's engine: fails where used
                module.__dict__.update(dict.fromkeys(bound_names(statement), Unavailable(error)))
            except Exception as error:
                failed = failed or error
        if failed is not None:
            notes.append(f"{cell} failed: {failure_of(failed, 0).message}")
    return module.__dict__, notes


class Unavailable:
    """What a notebook's name is bound to when the import (or coursekit attribute) that defines it
    fails here: a chapter may plot with matplotlib or compare with coursekit's Value, and only the
    code that uses such a name fails, with the import's own error."""

    __slots__ = ("error", "reason", "module")

    def __init__(self, error):  # an ImportError
        self.error, self.reason, self.module = type(error), safe_str(error), error.name

    def _refuse(self, *args, **kwargs):
        raise self.error(self.reason, name=self.module)

    __getattr__ = __call__ = __getitem__ = __iter__ = __mro_entries__ = _refuse


def bound_names(statement):
    """The names an import or assignment statement binds."""
    import ast

    if isinstance(statement, (ast.Import, ast.ImportFrom)):
        return [alias.asname or alias.name.split(".")[0] for alias in statement.names]
    targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
    return [node.id for target in targets for node in ast.walk(target) if isinstance(node, ast.Name)]


def defines(statement):
    import ast

    if isinstance(statement, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return True
    if isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None:
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        return all(map(binds_names, targets)) and runs_no_code(statement.value)
    return False


def binds_names(target):
    """`x = ...` or `x, y = ...` define names; `w[0].grad = ...` changes an object exploration made."""
    import ast

    if isinstance(target, (ast.Tuple, ast.List)):
        return all(map(binds_names, target.elts))
    return isinstance(target, ast.Name)


def runs_no_code(node):
    """A constant, a name, a lambda, or a collection of them: evaluating it runs no one's code."""
    import ast

    if isinstance(node, (ast.Constant, ast.Name, ast.Lambda)):
        return True
    if isinstance(node, ast.Attribute):
        return runs_no_code(node.value)
    if isinstance(node, ast.UnaryOp):
        return isinstance(node.operand, ast.Constant)
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return all(map(runs_no_code, node.elts))
    if isinstance(node, ast.Dict):
        return all(runs_no_code(item) for item in [*node.keys, *node.values] if item is not None)
    return False


# -- answering requests: the same code computes the expected answers in the grading process -----


def run(namespace, request):
    """The answer to one request (a protocol message), computed in `namespace`."""
    if isinstance(request, protocol.TargetRequest):
        return run_target(namespace, request)
    return run_backward(value_class(namespace), request)


def value_class(namespace):
    found = namespace.get("Value")
    if isinstance(found, Unavailable):
        raise Unusable(found.reason)
    if not isinstance(found, type):
        raise Unusable("no class named Value is defined")
    return found


def run_target(namespace, request):
    """Bind the inputs, run the setup, evaluate the target; describe its outputs as numbers.

    The inputs' numbers may be nested lists (a list of Values, a matrix).
    """
    scope = dict(namespace)
    needs_values = any(is_value for _, is_value, _ in request.inputs)
    cls = value_class(namespace) if needs_values or request.wrt else namespace.get("Value")
    inputs = []
    for name, is_value, numbers in request.inputs:
        scope[name] = as_values(cls, numbers, inputs) if is_value else numbers
    try:
        if request.setup:
            exec(request.setup, scope)
        out = eval(request.target, scope)
    except TypeError as error:
        raise (explain.missing_operator(error, cls) or error) from None
    except NameError as error:
        notebook = namespace.get(WITHOUT_NOTEBOOK)
        if notebook is None or where(error) is not None:  # a name the student's own code lacks
            raise
        raise Unusable(f"{error.name} is not defined: the submission has no notebook {notebook}") from None
    inherited = explain.inherited_operator(request.target, scope, cls, out)
    if inherited is not None:
        raise inherited
    if request.wrt:
        inputs += flatten(eval(request.wrt, scope))
    return answer_graph(cls, request.target, out, inputs)


def as_values(cls, numbers, made):
    if isinstance(numbers, list):
        return [as_values(cls, x, made) for x in numbers]
    value = cls(numbers)
    made.append(value)
    return value


def flatten(out):
    if isinstance(out, (list, tuple)):
        return [leaf for item in out for leaf in flatten(item)]
    return [out]


def answer_graph(cls, target, out, inputs):
    """The AnswerGraph: outputs (node index or {"number": x}), the graph below them, the inputs located."""
    if out is None:
        raise Unusable(f"{target} returned None (a missing return?)")
    graph = NodeNumbering()
    outputs = []
    for leaf in flatten(out):
        if is_node(leaf):
            outputs.append(graph.add(leaf))
        elif isinstance(leaf, (int, float)):
            outputs.append({"number": number(leaf, "an output")})
        else:
            wanted = "a Value or a number" if cls is not None else "a number"
            raise explain.no_graph(f"{target} returned a Value", leaf) or \
                Unusable(f"{target} returned a {type(leaf).__name__}, not {wanted}")
    for value in inputs:
        if not is_node(value):
            raise explain.no_graph("a parameter is a Value", value) or \
                Unusable(f"a parameter is a {type(value).__name__}, not a Value")
    data, children, local = graph.numbers()
    return protocol.AnswerGraph(outputs, data, children, local, [graph.position.get(id(value)) for value in inputs])


is_node = explain.keeps_graph  # a Value of any class: what the grader reads of it is its children and local gradients


class NodeNumbering:
    """The graphs below some Values as numbers: children before their users."""

    def __init__(self):
        self.position, self.order = {}, []

    def add(self, root):
        seen = {}
        stack = [(root, False)]
        while stack:
            node, expanded = stack.pop()
            key = id(node)
            if expanded:
                self.position[key] = len(self.order)
                self.order.append(seen[key])
                continue
            if key in self.position:
                continue
            if key in seen:
                raise Unusable("the graph has a cycle: a Value is among its own descendants")
            unordered = explain.unordered_children(node)
            if unordered is not None:
                raise unordered
            children = tuple(node._children)
            for child in children:
                if not is_node(child):
                    raise explain.no_graph("a child is a Value", child) or \
                        Unusable(f"a child is a {type(child).__name__}, not a Value (wrap plain numbers in Value)")
            seen[key] = (node, children, explain.local_grads_of(node, children))
            if len(self.order) + len(seen) > MAX_ANSWER_NODES:
                raise Unusable(f"the graph has more than {MAX_ANSWER_NODES} nodes")
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(children))
        return self.position[id(root)]

    def numbers(self):
        """(data, children, local gradients) of every node, in order."""
        return (
            [number(node.data, "data") for node, _, _ in self.order],
            [[self.position[id(child)] for child in children] for _, children, _ in self.order],
            [[number(g, "a local gradient") for g in local_grads] for _, _, local_grads in self.order],
        )


def run_backward(value_class, request):
    """Build the graph with the constructor only, call backward(), read the grads."""
    built = []
    try:
        return _backward_grads(value_class, request, built)
    except BaseException as error:
        # The failed frames hold the output; freed later, it would take the whole graph with it.
        for traceback in _tracebacks(error):
            try:
                traceback.tb_frame.clear()
            except RuntimeError:  # a frame still running (this one) keeps its locals
                pass
        raise
    finally:
        release(built)


def _backward_grads(value_class, request, built):
    try:
        nodes, root, given = build_graph(value_class, request, built)
    except TypeError as error:
        raise (explain.constructor_refused(error, value_class) or error) from None
    if given[0]:
        lost = explain.built_without_graph(root) or explain.kept_elsewhere(root, *given)
        lost = lost or next(filter(None, map(explain.unordered_children, nodes.values())), None)
        if lost is not None:
            raise lost
    for _ in range(request.calls):
        root.backward()
    return protocol.Grads([number(nodes[i].grad, f"the grad of node {i}") for i in request.report])


def build_graph(value_class, request, built):
    """({node number: Value} of the nodes to report, the output, the (children, local grads) the
    output was given), built with the constructor only; every node is appended to `built` as it
    is made."""
    if isinstance(request, protocol.ChainRequest):
        wanted, local_grads = set(request.report), request.local_grads
        root, given = value_class(1.0), ((), ())
        built.append(root)
        nodes = {0: root}
        for i in range(1, request.chain + 1):
            given = ((root,), (local_grads[i % 2],))
            root = value_class(1.0, *given)
            built.append(root)
            if i in wanted:
                nodes[i] = root
        return nodes, root, given
    for data, children, local_grads in request.nodes:
        given = (tuple(built[i] for i in children), tuple(local_grads))
        built.append(value_class(data, *given))
    return dict(enumerate(built)), built[-1], given


def release(built):
    """Free a graph output first, while `built` still holds every node below it.

    Freed from its output, a chain frees each node inside the one above it, one C call deeper per
    node; in the browser (Pyodide) 5,000 deep overflows the tab's stack and kills the kernel.
    """
    while built:
        built.pop()


def number(x, what):
    """A plain float, read from the number itself (a subclass cannot lie through __float__)."""
    if isinstance(x, float):
        return float.__float__(x)
    if isinstance(x, int):  # bool included: a relu's local grad written as (data > 0) is fine
        return int.__float__(x)
    extra = " (store the number, .data, not the Value)" if hasattr(x, "_children") else ""
    raise Unusable(f"{what} is a {type(x).__name__}, not a number{extra}")


def failure_of(error, memory_mb):
    """The Failure: what went wrong, in one line, with where in the student's code."""
    if isinstance(error, NotImplementedError):
        message = "not implemented yet"
    elif isinstance(error, SystemExit):
        message = f"the code called sys.exit({error.code!r})"
    elif isinstance(error, RecursionError):
        message = "RecursionError: maximum recursion depth exceeded"
    elif isinstance(error, EOFError) and str(error) == "EOF when reading a line":  # what input() raises
        message = "input() was called, and the grader types nothing: graded code must not ask for input"
    elif isinstance(error, ModuleNotFoundError) and error.name and \
            error.name.partition(".")[0] not in sys.stdlib_module_names:
        message = (f"the code imports {error.name}, which the grader does not have: graded code may import only "
                   "Python's standard library (math, random, ...)")
    elif isinstance(error, MemoryError):
        message = f"MemoryError: ran out of memory (the limit is {memory_mb} MB)"
    elif isinstance(error, SyntaxError) and "utf-8" in str(error.msg).lower():
        message = "the file is not UTF-8 text (save it with the UTF-8 encoding)"
    elif isinstance(error, SyntaxError):  # its str() repeats the file and line, given by where()
        message = f"{type(error).__name__}: {error.msg}"
    elif isinstance(error, (Unusable, explain.Explained)):
        message = str(error)
    else:
        message = f"{type(error).__name__}: {safe_str(error)}"
    return protocol.Failure(getattr(error, "error", type(error).__name__), message[:500], where(error))


def safe_str(error):
    try:
        return str(error).splitlines()[0] if str(error) else ""
    except Exception:
        return "(the error cannot be printed)"


def where(error):
    """The last place in the student's files the error went through: 'value.py, line 12'; for an
    error raised while handling another (a MemoryError again, in the import system), that one's.

    The traceback is walked by hand: importing a module to walk it needs memory, and after a
    MemoryError there may be little more than answer_of's reserve."""
    here = os.getcwd() + os.sep
    while error is not None:
        for filename, line, function in reversed(_frames(error)):
            if filename.startswith(here) or filename.startswith("cell "):
                return f"{filename.removeprefix(here)}, line {line}{function.replace(', in <module>', '')}"
        error = None if error.__suppress_context__ else error.__context__
    return None


def _frames(error):
    """(file, line, ", in function") of each frame the error went through, outermost first."""
    if isinstance(error, SyntaxError) and error.filename:
        return [(error.filename, error.lineno, "")]
    return [(traceback.tb_frame.f_code.co_filename, traceback.tb_lineno, f", in {traceback.tb_frame.f_code.co_name}")
            for traceback in _tracebacks(error)]


def _tracebacks(error):
    """The traceback entries of `error`, outermost first, walked by hand (see where())."""
    traceback = error.__traceback__
    while traceback is not None:
        yield traceback
        traceback = traceback.tb_next


if __name__ == "__main__":
    main(sys.argv)
