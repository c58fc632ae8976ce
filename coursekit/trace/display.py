"""Show a traced graph: Jupyter mime bundles, files, and a text tree when there is no picture.

`dot` is looked up on PATH before every drawing and run as a plain subprocess with a time limit,
so a missing Graphviz gives one clear install message plus a text tree and the DOT source, never a
traceback from inside the graphviz package, and no drawing can hang the kernel.
"""

import base64
import shutil
import subprocess
from pathlib import Path

from coursekit.files import write_atomically
from coursekit.trace.digraph import op_text
from coursekit.trace.graph import format_number, users_and_children

INSTALL_HINT = (
    "Graphviz's `dot` program is not installed (not found on PATH), so the graph is shown as text and "
    "DOT source instead of a picture. Install Graphviz, then run the cell again:\n"
    "  Debian/Ubuntu: sudo apt-get install graphviz\n"
    "  macOS:         brew install graphviz\n"
    "  conda:         conda install -c conda-forge graphviz\n"
    "  or run `make demo` in the coursekit folder, which installs it."
)
DOT_TIMEOUT = 120  # seconds; a graph that needs longer should be folded (--max-nodes), not waited for
MAX_INLINE_SVG = 1_000_000  # bytes; bigger outputs are dropped or choke the browser
SAVE_FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".dot": "dot", ".gv": "dot", ".txt": "text", ".html": "html"}


class TraceError(Exception):
    """A problem the user can fix, said in one sentence (shown without a traceback)."""


def have_dot():
    return shutil.which("dot") is not None


def layout(digraph, output_format):
    """The picture as bytes (output_format: svg, png, pdf), made by the `dot` program."""
    dot = shutil.which("dot")
    if dot is None:
        raise TraceError(INSTALL_HINT)
    try:
        done = subprocess.run([dot, f"-T{output_format}"], input=digraph.source.encode(), capture_output=True,
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
    if not have_dot():
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
    return [{"image/svg+xml": picture.decode(), "text/plain": tree}]


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
        svg = layout(digraph, "svg").decode() if html is None else ""
        data = html_page(html or svg[svg.index("<svg"):]).encode()
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
    text = f"{node.name or '·'}  data {format_number(node.data)}"
    if node.grad is not None:
        text += f"  grad {format_number(node.grad)}"
    return text + (f"  ← {op_text(node)}" if node.op else "")


def html_page(body):
    head = '<meta charset="utf-8"><title>coursekit trace</title>'
    return f"<!DOCTYPE html>\n<html><head>{head}</head><body>\n{body}\n</body></html>\n"
