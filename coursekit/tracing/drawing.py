"""A traced graph as something to show or save: Jupyter mime bundles, files, a text tree.

A `Drawing` builds its DOT only when a picture or the source is asked for, and lays out each
output format at most once, so a cell that is shown and saved (`--save graph.svg`) runs the
layout engine once. Without a layout engine the notebook gets the install hint, the text tree
and the DOT source.
"""

import base64
from functools import cached_property
from pathlib import Path

from coursekit.files import write_atomically
from coursekit.tracing.digraph import build_digraph, group_text, op_text
from coursekit.tracing.engines import INSTALL_HINT, TraceError, layout, layout_engine
from coursekit.tracing.graph import format_number, users_and_children
from coursekit.tracing.view import picture_html

MAX_INLINE_SVG = 1_000_000  # bytes; bigger outputs are dropped or choke the browser
SAVE_FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".dot": "dot", ".gv": "dot", ".txt": "text", ".html": "html"}


class Drawing:
    """The picture of `graph`, styled as `build_digraph` takes it. `note` says how the graph was
    folded: it goes above the picture and below the text tree, never into the picture."""

    def __init__(self, graph, note="", fit=False, **style):
        self.graph = graph
        self.note = note
        self.fit = fit  # open the picture whole (view.picture_html)
        self.style = style  # rankdir, ops, edges, marks, id_prefix, first
        self._pictures = {}

    @cached_property
    def source(self):
        """The DOT source."""
        return build_digraph(self.graph, **self.style).source

    def picture(self, output_format):
        """The laid-out picture as bytes (svg, png, pdf), made once per format."""
        if output_format not in self._pictures:
            self._pictures[output_format] = layout(self.source, output_format)
        return self._pictures[output_format]

    def text(self):
        return text_tree(self.graph, self.note)

    def bundles(self, output_format="svg"):
        """Mime bundles to display, in order: the picture (with the text tree as its plain-text
        form, which is what a terminal shows) or, failing that, messages and text."""
        if output_format == "text":
            return [{"text/plain": self.text()}]
        if output_format == "dot":
            return [{"text/plain": self.source}]
        if layout_engine() is None:
            return [{"text/plain": INSTALL_HINT}, {"text/plain": self.text()}, {"text/plain": self.source}]
        try:
            picture = self.picture(output_format)
        except TraceError as error:
            return [{"text/plain": str(error)}, {"text/plain": self.text()}]
        if output_format == "png":
            return [{"image/png": base64.b64encode(picture).decode(), "text/plain": self.text()}]
        if len(picture) > MAX_INLINE_SVG:
            return [{"text/plain": f"The picture is {len(picture) / 1e6:.1f} MB of SVG, too big to show in the notebook "
                     f"(the limit is {MAX_INLINE_SVG / 1e6:.0f} MB); write it to a file with --save graph.svg, or "
                     "draw fewer values with a lower --max-nodes."}]
        return [{"text/html": picture_html(picture.decode(), self.note, fit=self.fit), "text/plain": self.text()}]

    def save(self, path, html=None):
        """Write the drawing to path, in the format its suffix names (`html`: a page around this
        fragment instead of the picture); returns a one-line confirmation."""
        path = Path(path)
        output_format = SAVE_FORMATS.get(path.suffix.lower())
        if output_format is None:
            raise TraceError(f"--save {path}: unknown suffix {path.suffix!r}; use one of {', '.join(SAVE_FORMATS)}")
        if output_format == "text":
            data = self.text().encode()
        elif output_format == "dot":
            data = self.source.encode()
        elif output_format == "html":
            data = html_page(html or picture_html(self.picture("svg").decode(), self.note, fit=self.fit)).encode()
        else:
            data = self.picture(output_format)
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
        lines.append(lead + tree_line(graph.nodes[i]) + ("  (see above)" if repeat else ""))
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


def tree_line(node):
    """One value of the text tree: `L  data -8  grad 1  ← *`."""
    if node.kind == "more":
        return f"… {node.count} input{'s' * (node.count != 1)} not shown"
    if node.kind in ("layer", "inputs"):
        return group_text(node)
    text = f"{node.name or '·'}  data {format_number(node.data)}"
    if node.grad is not None:
        text += f"  grad {format_number(node.grad)}"
    made_by = op_text(node)
    return text + (f"  ← {made_by}" if made_by else "")


def html_page(body):
    head = '<meta charset="utf-8"><title>coursekit trace</title>'
    return f"<!DOCTYPE html>\n<html><head>{head}</head><body>\n{body}\n</body></html>\n"
