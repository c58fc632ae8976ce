"""Show a traced graph: Jupyter mime bundles, files, and a text tree when there is no picture.

The layout program is Graphviz's `dot` when it is on PATH, else `graphviz-pure` (a self-contained
port of dot that pip installs with coursekit, so a machine without Graphviz still draws the same
picture). It is looked up before every drawing and run as a plain subprocess with a time limit, so
a missing program gives one clear install message plus a text tree and the DOT source, never a
traceback from inside the graphviz package, and no drawing can hang the kernel.
"""

import base64
import shutil
import subprocess
import sysconfig
from pathlib import Path

from coursekit.files import write_atomically
from coursekit.trace.digraph import group_text, op_text
from coursekit.trace.graph import format_number, users_and_children
from coursekit.trace.view import picture_html

INSTALL_HINT = (
    "No program to lay out the picture: neither Graphviz's `dot` nor `graphviz-pure` was found, so the "
    "graph is shown as text and DOT source. Install the layout program into this Python with\n"
    "  %pip install graphviz-pure        (in a notebook cell)\n"
    "  python -m pip install graphviz-pure  (in a terminal)\n"
    "then run it again (or install Graphviz: sudo apt-get install graphviz, brew install graphviz, "
    "conda install -c conda-forge graphviz)."
)
DOT_TIMEOUT = 120  # seconds; a graph that needs longer should be folded (--max-nodes), not waited for
MAX_INLINE_SVG = 1_000_000  # bytes; bigger outputs are dropped or choke the browser
SAVE_FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".dot": "dot", ".gv": "dot", ".txt": "text", ".html": "html"}


class TraceError(Exception):
    """A problem the user can fix, said in one sentence (shown without a traceback)."""


def layout_program():
    """The command that lays out DOT: Graphviz's `dot` on PATH, else graphviz-pure from this Python's
    scripts folder (which is not on PATH when a kernel runs from a venv) or PATH; None if neither."""
    dot = shutil.which("dot")
    if dot:
        return [dot]
    scripts = sysconfig.get_path("scripts")
    pure = shutil.which("graphviz-pure", path=scripts) or shutil.which("graphviz-pure")
    return [pure, "-Kdot"] if pure else None


def have_layout_program():
    return layout_program() is not None


def layout(digraph, output_format):
    """The picture as bytes (output_format: svg, png, pdf), made by the layout program."""
    program = layout_program()
    if program is None:
        raise TraceError(INSTALL_HINT)
    try:
        done = subprocess.run([*program, f"-T{output_format}"], input=digraph.source.encode(), capture_output=True,
                              timeout=DOT_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise TraceError(f"dot needed more than {DOT_TIMEOUT} s for this graph; "
                         "draw fewer values with a lower --max-nodes.") from None
    if done.returncode:
        raise TraceError(f"dot could not draw this graph: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout


def bundles(graph, note, digraph, output_format="svg"):
    """Mime bundles to display, in order: the picture (with the text tree as its plain-text
    form, which is what a terminal shows) or, failing that, messages and text."""
    tree = text_tree(graph, note)
    if output_format == "text":
        return [{"text/plain": tree}]
    if output_format == "dot":
        return [{"text/plain": digraph.source}]
    if not have_layout_program():
        return [{"text/plain": INSTALL_HINT}, {"text/plain": tree}, {"text/plain": digraph.source}]
    try:
        picture = layout(digraph, output_format)
    except TraceError as error:
        return [{"text/plain": str(error)}, {"text/plain": tree}]
    if output_format == "png":
        return [{"image/png": base64.b64encode(picture).decode(), "text/plain": tree}]
    if len(picture) > MAX_INLINE_SVG:
        return [{"text/plain": f"The picture is {len(picture) / 1e6:.1f} MB of SVG, too big to show in the notebook "
                 f"(the limit is {MAX_INLINE_SVG / 1e6:.0f} MB); write it to a file with --save graph.svg, or "
                 "draw fewer values with a lower --max-nodes."}]
    return [{"text/html": picture_html(picture.decode(), note), "text/plain": tree}]


def save(path, graph, note, digraph, html=None):
    """Write the graph to path, in the format its suffix names; returns a one-line confirmation."""
    path = Path(path)
    output_format = SAVE_FORMATS.get(path.suffix.lower())
    if output_format is None:
        raise TraceError(f"--save {path}: unknown suffix {path.suffix!r}; use one of {', '.join(SAVE_FORMATS)}")
    if output_format == "text":
        data = text_tree(graph, note).encode()
    elif output_format == "dot":
        data = digraph.source.encode()
    elif output_format == "html":
        data = html_page(html or picture_html(layout(digraph, "svg").decode(), note)).encode()
    else:
        data = layout(digraph, output_format)
    write_atomically(path, data)
    return f"Saved {path} ({len(data):,} bytes)."


def text_tree(graph, note=""):
    """The graph as an indented tree from each output down; a value used twice is expanded once."""
    users, children = users_and_children(graph)
    lines, seen = [], set()
    stack = [(i, "", "") for i in reversed(range(len(graph.nodes))) if not users[i]]
    while stack:
        i, lead, below = stack.pop()
        repeat = i in seen and children[i]
        lines.append(lead + describe(graph.nodes[i]) + ("  (see above)" if repeat else ""))
        if i in seen:
            continue
        seen.add(i)
        kids = children[i]
        for j in reversed(range(len(kids))):
            last = j == len(kids) - 1
            stack.append((kids[j][0], below + ("└─ " if last else "├─ "), below + ("   " if last else "│  ")))
    if note:
        lines += ["", note]
    return "\n".join(lines)


def describe(node):
    """One value on one line: `L  data -8  grad 1  ← *`."""
    if node.kind == "more":
        return f"… {node.count} input{'s' * (node.count != 1)} not shown"
    if node.kind in ("layer", "inputs"):
        return group_text(node)
    text = f"{node.name or '·'}  data {format_number(node.data)}"
    if node.grad is not None:
        text += f"  grad {format_number(node.grad)}"
    return text + (f"  ← {op_text(node)}" if node.op else "")


def html_page(body):
    head = '<meta charset="utf-8"><title>coursekit trace</title>'
    return f"<!DOCTYPE html>\n<html><head>{head}</head><body>\n{body}\n</body></html>\n"
