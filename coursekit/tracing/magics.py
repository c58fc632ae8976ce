"""`%%trace` and `%trace`: draw the computation graph of a notebook cell or of one expression.

    %load_ext coursekit

    %%trace --grad
    a = Value(2.0); b = Value(-3.0); c = Value(10.0); f = Value(-2.0)
    e = a * b
    d = e + c
    L = d * f

The cell runs through the shell's own `run_cell`, exactly like a normal cell (names stay bound, the
last expression is displayed, an exception gives its one usual traceback and the cell fails); then
every Value bound to a name the cell (re)bound, and the last expression's value (a Value or a
list of them), is drawn with all its ancestors. Values are labelled with their variable names unless they carry a
label; unnamed intermediates with the expression that made them.

A run is options -> graph -> drawing: the magic's arguments become `TraceOptions`, the values are
walked once (`Walk`: the output for --grad and --steps, the values backward() reaches, the graph
to draw), and a `Drawing` lays the picture out when it is shown or saved.
"""

import argparse
import ast
import sys
from dataclasses import dataclass

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_cell_magic, magics_class
from IPython.core.magic_arguments import argument, kwds, magic_arguments
from IPython.display import display

from coursekit import syntax
from coursekit.magic_options import parse_options
from coursekit.tracing.backward import run_backward
from coursekit.tracing.digraph import NO_MARKS, OVERVIEW_ABOVE, Marks
from coursekit.tracing.drawing import Drawing
from coursekit.tracing.engines import TraceError, layout_engine
from coursekit.tracing.fold import fold
from coursekit.tracing.graph import Walk, is_value, not_drawable
from coursekit.tracing.stepper import steps_html, steps_text

_UNBOUND = object()
MAX_LISTED = 10_000  # values inside a list or tuple bound to a name are drawn (and named) up to this many


# argparse %-formats the usage, so each % is written twice; the help prints "%" before the first line
USAGE = """trace [options] EXPRESSION    draw one expression, e.g. %%trace --grad L
  %%%%trace [options]              as a cell's first line: run the cell, draw every Value it makes"""


@dataclass(frozen=True)
class TraceOptions:
    """What one %%trace or %trace asks for; the magic's arguments (declared once, below) say what each means."""

    grad: bool = False
    root: str | None = None
    rankdir: str = "LR"
    output_format: str = "svg"
    save: str | None = None
    max_nodes: int = OVERVIEW_ABOVE
    ops: bool = True
    edges: bool = False
    steps: bool = False
    fit: bool = False
    expression: str = ""

    @classmethod
    def from_arguments(cls, args):
        if args.max_nodes < 1:
            raise UsageError(f"--max-nodes must be at least 1, got {args.max_nodes}")
        return cls(grad=args.grad, root=args.root, rankdir=args.rankdir, output_format=args.format, save=args.save,
                   max_nodes=args.max_nodes, ops=not args.no_ops, edges=args.edges, steps=args.steps, fit=args.fit,
                   expression=" ".join(args.expression))


def _plain_help(magic):
    """magic_arguments writes the help as reStructuredText, opening with `::`; `%%trace?` shows it raw."""
    magic.__doc__ = magic.__doc__.replace("::\n\n", "", 1)
    return magic


@magics_class
class TraceMagics(Magics):
    @_plain_help
    @magic_arguments()
    @kwds(usage=USAGE)
    @argument("-g", "--grad", action="store_true",
              help="zero the graph's grads and run backward() from the root first, so the grads are filled in "
                   "(if it raises, the grads are put back and the value it failed at is drawn in red)")
    @argument("--root", metavar="NAME",
              help="the value to start backward (and --steps) from; default: the one value nothing else uses")
    @argument("--rankdir", choices=["LR", "TB"], default="LR", help="left to right (default) or top to bottom")
    @argument("--format", choices=["svg", "png", "dot", "text"], default="svg",
              help="show a picture (svg, the default, or png), the DOT source, or a text tree")
    @argument("--save", metavar="PATH",
              help="also write the graph to PATH; the suffix picks the format: .svg .png .pdf .dot .gv .txt .html")
    @argument("--max-nodes", type=int, default=OVERVIEW_ABOVE, metavar="N",
              help=f"show graphs of more than N values as an overview (sums as Σ nodes, neurons, layers and inputs "
                   f"as boxes, the rest cut at a depth from the outputs); default {OVERVIEW_ABOVE}")
    @argument("--no-ops", action="store_true", help="no operation nodes: write each op on its edges")
    @argument("--edges", action="store_true",
              help="write each edge's local gradient (with --grad: upstream × local = contribution)")
    @argument("--steps", action="store_true",
              help="step through the backward pass one node at a time (prev / next / play / slider)")
    @argument("--fit", action="store_true",
              help="open the picture fitted whole, as an overview of a wide graph; click a part to read it")
    @argument("expression", nargs=argparse.REMAINDER, help="%%trace only: the expression whose graph to draw")
    @line_cell_magic
    def trace(self, line, cell=None):
        """Draw the computation graph of a cell (%%trace) or of one expression (%trace EXPR).

        Any Value class draws: an object with .data and its children in _children (microGPT,
        coursekit) or _prev (micrograd). Options go before the expression: %trace --grad L.
        """
        options = TraceOptions.from_arguments(_parse(self.trace, line, "%trace" if cell is None else "%%trace"))
        bound = []
        if cell is None:
            roots = [self._evaluate(options.expression)]
        elif options.expression:
            raise UsageError(f"%%trace takes no expression (got {options.expression!r}); the cell is what it draws")
        else:
            ran = self._run(cell)
            if ran is None:
                return
            roots, bound = ran
        try:
            self._draw(roots, options, bound)
        except TraceError as error:
            print(f"%%trace: {error}", file=sys.stderr)

    def _evaluate(self, expression):
        if not expression.strip():
            raise UsageError("%trace needs an expression, e.g. %trace L (use %%trace to draw a whole cell)")
        try:
            value = self.shell.ev(expression)
        except NameError as error:
            raise UsageError(f"%trace {expression}: {error}. Run the cell that makes it first, or name a Value "
                             "that exists, e.g. %trace L") from None
        except Exception as error:  # noqa: BLE001 - any error in the user's expression is theirs to fix
            raise UsageError(f"%trace {expression}: {type(error).__name__}: {error}") from None
        if not is_value(value):
            raise UsageError(f"%trace {expression}: {not_drawable(value)}. Give a Value's name, e.g. %trace --grad L; "
                             "options come first.")
        return value

    def _run(self, cell):
        """Run the cell as the shell runs any cell; None if it failed, else the Values it made and
        the names it (re)bound, the last assigned last."""
        shell = self.shell
        before = dict(shell.user_ns)
        outer = shell.displayhook.exec_result
        result = shell.run_cell(cell, store_history=False)
        shell.displayhook.exec_result = outer
        if not result.success:
            if outer is not None:  # the traceback is shown already; this marks the whole cell as failed
                outer.error_in_exec = result.error_in_exec or result.error_before_exec
            return None
        bound = [name for name, obj in shell.user_ns.items()
                 if not name.startswith("_") and before.get(name, _UNBOUND) is not obj]
        roots = [value for name in bound for _, value in _values_named(name, shell.user_ns[name])]
        roots.extend(value for _, value in _values_named("", result.result))
        if not roots:
            _nothing_to_draw([(name, shell.user_ns[name]) for name in bound] + [("the last line", result.result)])
        return roots, in_assignment_order(bound, shell.transform_cell(cell))

    def _draw(self, roots, options, bound=()):
        if not roots:
            return  # _run said why
        names = self._names(bound)
        graph, below_root, failure = self._graphs(roots, names, options)
        at = failure.position if failure is not None else None
        name = (graph.nodes[at].name or "an unnamed value") if at is not None else ""
        graph, note = fold(graph, options.max_nodes)
        marks = Marks(frozenset([at])) if at is not None and not note else NO_MARKS  # an overview renumbers values
        if failure is not None:
            print(failure.sentence(name, marked=marks is not NO_MARKS), file=sys.stderr)
        # the note is shown as text above the picture (see view.py), not drawn into it
        drawing = Drawing(graph, note, fit=options.fit, rankdir=options.rankdir, ops=options.ops, edges=options.edges,
                          marks=marks)
        steps = self._steps(below_root, options) if below_root is not None else None
        for bundle in [steps] if steps else drawing.bundles(options.output_format):
            display(bundle, raw=True)
        if options.save:
            print(drawing.save(options.save, html=steps and steps["text/html"]))

    def _graphs(self, roots, names, options):
        """The graph of the roots, after --grad's backward pass; for --steps the graph below the
        root (else None); and the BackwardFailure when backward() raised (else None); from one walk."""
        walk = Walk.of(roots)
        root = self._root(walk, names, options) if options.grad or options.steps else None
        below = walk.below(root) if root is not None else None
        failure = _run_backward(root, below, walk) if options.grad and below is not None else None
        steps = below.graph(names) if options.steps and below is not None and failure is None else None
        return walk.graph(names), steps, failure

    def _steps(self, graph, options):
        """The step-through view of `graph` (traced from the root) as a mime bundle, or None (after
        saying why) to draw plainly."""
        if len(graph.nodes) > options.max_nodes:
            print(f"%%trace --steps: this graph has {len(graph.nodes):,} values, more than --max-nodes "
                  f"{options.max_nodes}; stepping through it would not teach much, so here is the graph. "
                  "Raise --max-nodes to step through it anyway.", file=sys.stderr)
            return None
        if layout_engine() is None:
            return None  # the plain drawing path explains how to install Graphviz
        try:
            return {"text/html": steps_html(graph, rankdir=options.rankdir, ops=options.ops),
                    "text/plain": steps_text(graph)}
        except TraceError as error:
            print(f"%%trace --steps: {error}; here is the graph.", file=sys.stderr)
            return None

    def _root(self, walk, names, options):
        """The value to start backward from, or None after saying why there is none."""
        if options.root:
            value = self.shell.user_ns.get(options.root)
            if is_value(value):
                return value
            print(f"%%trace --root {options.root}: there is no Value named {options.root!r}; drawing without grads.",
                  file=sys.stderr)
            return None
        outputs = walk.sinks()
        if len(outputs) == 1:
            return outputs[0]
        listed = ", ".join(names.get(id(value), "an unnamed value") for value in outputs[:6])
        more = ", …" if len(outputs) > 6 else ""
        print(f"%%trace: --grad and --steps start from one output, but the cell made {len(outputs)} values "
              f"that nothing else uses ({listed}{more}); pick one with --root NAME. Drawing without grads.",
              file=sys.stderr)
        return None

    def _names(self, bound=()):
        """id(value) -> variable name, for every Value (or list of Values) in the user's namespace.
        A value with several names takes the last of `bound` (the names the cell assigned, in the
        order it assigned them) that is one, else the one bound first (`r`, not the loop variable
        `v` of a later `for v in (p, q, r)`)."""
        namespace = self.shell.user_ns
        earlier = [name for name in namespace if not name.startswith("_") and name not in bound]
        ordered = earlier[::-1] + list(bound)  # later entries win
        return {id(value): label for name in ordered
                for label, value in _values_named(name, namespace.get(name, _UNBOUND))}


def _nothing_to_draw(made):
    """Say why a cell that ran has nothing to draw, naming what an object holds when it looks like a
    Value keeping its inputs under other attribute names. `made`: (name, object) the cell made."""
    near = next(((name, obj) for name, obj in made
                 if hasattr(obj, "data") and hasattr(obj, "grad") and not isinstance(obj, type)), None)
    why = f"; {not_drawable(near[1], near[0])}" if near is not None else ""
    print(f"%%trace: the cell bound no Values to names and its last line is not a Value, so there is nothing "
          f"to draw{why}.", file=sys.stderr)


def _parse(magic, line, called="%trace"):
    example = f"{called} --grad{' L' if called == '%trace' else ''}"
    return parse_options(magic, line, called, f"Options come first, e.g. {example}; {called}? lists them.")


def in_assignment_order(names, source):
    """`names` ordered by where the cell last assigns each (those it does not visibly assign first),
    so that when one value has several names the cell's own last assignment names it."""
    try:
        tree = syntax.parse(source)
    except SyntaxError:
        return list(names)
    last = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            last[node.id] = max(last.get(node.id, (0, 0)), (node.lineno, node.col_offset))
    return sorted(names, key=lambda name: last.get(name, (0, 0)))


def _values_named(name, obj):
    """(name, value) for a Value bound to name, or for each Value in a list or tuple bound to it."""
    if is_value(obj):
        return [(name, obj)]
    if isinstance(obj, (list, tuple)) and len(obj) <= MAX_LISTED:
        return [(f"{name}[{i}]", item) for i, item in enumerate(obj) if is_value(item)]
    return []


def _run_backward(root, below, walk):
    """root.backward() on the values `below` it (see coursekit.tracing.backward); the BackwardFailure
    (its position in `walk`) when it raised, else None."""
    if not callable(getattr(root, "backward", None)):
        print(f"%%trace --grad: {type(root).__name__} has no backward() method, so the grads are drawn as they are.",
              file=sys.stderr)
        return None
    return run_backward(root, below, walk.position)


def load_ipython_extension(ipython):
    ipython.register_magics(TraceMagics)
