"""The grader's side of the child process: import the submission and answer requests with numbers.

Run as `python -I -S -B -u -c <this file's source> REQUESTS ANSWERS MEMORY_MB FILE_MB module|notebook`
in the staged folder. Before any student code runs it locks the resource limits; then it imports
the submission and answers each JSON request (one per line on the REQUESTS pipe) with one JSON
answer carrying the request's id (one line on the ANSWERS pipe). Answers hold plain numbers only: the expected values exist
in the grading process alone, so nothing the submission patches or prints here changes a grade.
Standard library only: coursekit is deliberately not importable in the child.
"""

import gc
import importlib
import json
import os
import re
import resource
import sys
import traceback
import types

MAX_NODES = 10_000
CELL = re.compile(r"^# %% cell (\d+)\n", re.MULTILINE)  # written by coursekit.grading.load
REFUSAL = (
    "the submission uses coursekit's reference engine; grading needs your own Value class "
    "(only coursekit's drawing helpers, draw_dot and %%trace, may be used)"
)


class Unusable(Exception):
    """The submission's answer cannot be turned into numbers (the message says why)."""


def main(argv):
    requests_fd, answers_fd, memory_mb, file_mb = map(int, argv[1:5])
    limit_resources(memory_mb, file_mb)
    # The cyclic collector would spend most of a 10^5-node case re-scanning the graph; a graph
    # of Values frees itself by reference counting, and RLIMIT_AS bounds whatever cycles remain.
    gc.disable()
    requests = os.fdopen(requests_fd, "r", encoding="utf-8")
    answers = os.fdopen(answers_fd, "w", encoding="utf-8")
    sys.path.insert(0, os.getcwd())
    sys.modules["coursekit"] = drawing_only_coursekit()
    sys.meta_path.insert(0, RefuseCoursekitModules())
    # Every answer repeats the id of its request, drawn by the parent at random, so that lines the
    # submission itself writes to the pipe are recognised and ignored. The first request says hello.
    hello = json.loads(requests.readline())
    try:
        value_class, notes = import_submission(notebook=argv[5] == "notebook")
    except BaseException as error:
        send(answers, hello, describe(error, memory_mb))
        return
    send(answers, hello, {"ready": True, "notes": notes})
    for line in requests:
        request = json.loads(line)
        try:
            answer = run(value_class, request)
        except BaseException as error:
            answer = describe(error, memory_mb)
        send(answers, request, answer)


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


def send(answers, request, answer):
    answers.write(json.dumps({**answer, "id": request["id"]}) + "\n")
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


def import_submission(notebook):
    if not notebook:
        module = importlib.import_module("value")
        notes = []
    else:
        module, notes = run_cells("value.py")
    value_class = getattr(module, "Value", None)
    if not isinstance(value_class, type):
        where = "the notebook" if notebook else "value.py"
        failed = f" ({notes[0]})" if notes else ""
        raise Unusable(f"{where} defines no class named Value{failed}")
    return value_class, notes


def run_cells(path):
    """Run a notebook's cells in order like "Run All" that goes on after an error."""
    with open(path, encoding="utf-8") as file:
        pieces = CELL.split(file.read())
    module = types.ModuleType("value")
    module.__file__ = os.path.abspath(path)
    sys.modules["value"] = module
    notes = []
    for number, source in zip(pieces[1::2], pieces[2::2]):
        try:
            exec(compile(source, f"notebook cell {number}", "exec"), module.__dict__)
        except Exception as error:
            notes.append(f"cell {number} failed: {describe(error, 0)['message']}")
    return module, notes


# -- answering requests -------------------------------------------------------------------------


def run(value_class, request):
    if request["kind"] == "op":
        return run_op(value_class, request)
    return run_backward(value_class, request)


def run_op(value_class, request):
    """Build the inputs with the student's constructor, apply the operation, describe the result."""
    env = {}
    for name, x in zip(request["inputs"], request["numbers"]):
        env[name] = value_class(x) if name in request["values"] else x
    out = eval(request["expression"], {"__builtins__": {}}, env)
    if not isinstance(out, value_class):
        raise Unusable(f"{request['expression']} returned a {type(out).__name__}, not a Value")
    return {"graph": describe_graph(value_class, out, [env[name] for name in request["values"]])}


def describe_graph(value_class, root, inputs):
    """The graph below root as numbers: children before their users, root last, inputs located."""
    position, seen, order = {}, {}, []
    stack = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        key = id(node)
        if expanded:
            position[key] = len(order)
            order.append(seen[key])
            continue
        if key in position:
            continue
        if key in seen:
            raise Unusable("the graph has a cycle: a Value is among its own descendants")
        children = tuple(node._children)
        for child in children:
            if not isinstance(child, value_class):
                raise Unusable(f"a child is a {type(child).__name__}, not a Value (wrap plain numbers in Value)")
        seen[key] = (node, children, tuple(node._local_grads))
        if len(seen) > MAX_NODES:
            raise Unusable(f"the graph has more than {MAX_NODES} nodes")
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(children))
    return {
        "data": [number(node.data, "data") for node, _, _ in order],
        "children": [[position[id(child)] for child in children] for _, children, _ in order],
        "local": [[number(g, "a local gradient") for g in local_grads] for _, _, local_grads in order],
        "inputs": [position.get(id(value)) for value in inputs],
    }


def run_backward(value_class, request):
    """Build the graph with the constructor only, call backward(), read the grads."""
    if "chain" in request:
        wanted, local_grads = set(request["report"]), request["local_grads"]
        root = value_class(1.0)
        nodes = {0: root}
        for i in range(1, request["chain"] + 1):
            root = value_class(1.0, (root,), (local_grads[i % 2],))
            if i in wanted:
                nodes[i] = root
    else:
        built = []
        for data, children, local_grads in request["nodes"]:
            built.append(value_class(data, tuple(built[i] for i in children), tuple(local_grads)))
        nodes, root = dict(enumerate(built)), built[-1]
    for _ in range(request["calls"]):
        root.backward()
    return {"grads": [number(nodes[i].grad, f"the grad of node {i}") for i in request["report"]]}


def number(x, what):
    """A plain float, read from the number itself (a subclass cannot lie through __float__)."""
    if isinstance(x, float):
        return float.__float__(x)
    if isinstance(x, int):  # bool included: a relu's local grad written as (data > 0) is fine
        return int.__float__(x)
    extra = " (store the number, .data, not the Value)" if hasattr(x, "_children") else ""
    raise Unusable(f"{what} is a {type(x).__name__}, not a number{extra}")


def describe(error, memory_mb):
    """What went wrong, in one line, with where in the student's code."""
    if isinstance(error, NotImplementedError):
        message = "not implemented yet"
    elif isinstance(error, SystemExit):
        message = f"the code called sys.exit({error.code!r})"
    elif isinstance(error, RecursionError):
        message = "RecursionError: maximum recursion depth exceeded"
    elif isinstance(error, MemoryError):
        message = f"MemoryError: ran out of memory (the limit is {memory_mb} MB)"
    elif isinstance(error, SyntaxError) and "utf-8" in str(error.msg).lower():
        message = "the file is not UTF-8 text (save it with the UTF-8 encoding)"
    elif isinstance(error, SyntaxError):  # its str() repeats the file and line, given by where()
        message = f"{type(error).__name__}: {error.msg}"
    elif isinstance(error, Unusable):
        message = str(error)
    else:
        message = f"{type(error).__name__}: {safe_str(error)}"
    return {"error": type(error).__name__, "message": message[:500], "where": where(error)}


def safe_str(error):
    try:
        return str(error).splitlines()[0] if str(error) else ""
    except Exception:
        return "(the error cannot be printed)"


def where(error):
    """The last place in the student's files the error went through: 'value.py, line 12'."""
    if isinstance(error, SyntaxError) and error.filename:
        frames = [(error.filename, error.lineno, "")]
    else:
        frames = [(frame.f_code.co_filename, line, f", in {frame.f_code.co_name}")
                  for frame, line in traceback.walk_tb(error.__traceback__)]
    here = os.getcwd() + os.sep
    for filename, line, function in reversed(frames):
        if filename.startswith(here) or filename.startswith("notebook cell"):
            return f"{filename.removeprefix(here)}, line {line}{function.replace(', in <module>', '')}"
    return None


if __name__ == "__main__":
    main(sys.argv)
