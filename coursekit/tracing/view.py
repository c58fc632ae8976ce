"""The picture as a notebook shows it: HTML around the SVG, so a wide drawing stays readable.

The drawing keeps its natural size (node text about 15 px) and scrolls inside its own output;
a small script (assets/view.js) adds zoom, "fit" and drag-to-pan, and first fits the column
when that keeps the text readable, else opens at a readable size on the drawing's inputs. Plain HTML + SVG + inline script and
style, nothing fetched, so JupyterLab, classic Notebook, VS Code and exported HTML all show it.

The SVG travels as an <img> with a data: URI, which the script turns into inline SVG (so the
stepper can restyle its parts). An untrusted notebook runs no script and its HTML is sanitised,
which strips inline <svg> but keeps the <img>: the picture still shows, and still scrolls.
"""

import base64
import html
import re
import uuid
from importlib.resources import files

from coursekit.tracing.digraph import EDGE_PT, NODE_PT

SMALLEST_TEXT_PX = min(NODE_PT, EDGE_PT) * 4 / 3  # the drawing's smallest text (pt), in CSS pixels at 1:1
READABLE_PX = 10
READABLE_SCALE = f"{READABLE_PX / SMALLEST_TEXT_PX:.3f}"  # never zoomed below this unless the reader asks


def asset(name):
    """A file of coursekit/tracing/assets/ as text."""
    return files(__package__).joinpath("assets", name).read_text(encoding="utf-8")


def fill(template, values):
    """Replace each key of `values` in template in one pass (so a value is never re-replaced)."""
    return re.sub("|".join(map(re.escape, values)), lambda match: values[match.group()], template)


def new_box_id():
    return f"ck-{uuid.uuid4().hex[:10]}"


def svg_element(svg):
    """The <svg> element alone, without the XML prologue and doctype graphviz writes before it."""
    return svg[svg.index("<svg"):]


def svg_image(svg):
    """The drawing as an <img> of itself, at its natural size."""
    data = base64.b64encode(svg.encode()).decode()
    # inline style, as a sanitiser may drop <style>: notebooks shrink pictures to the column otherwise
    return (f'<img class="ck-picture" alt="the computation graph" style="max-width: none;" '
            f'src="data:image/svg+xml;base64,{data}">')


def svg_from_image(view):
    """The SVG inside a view's <img> (for tests and tools that read the HTML)."""
    data = re.search(r'class="ck-picture"[^>]*src="data:image/svg\+xml;base64,([^"]+)"', view).group(1)
    return base64.b64decode(data).decode()


def picture_html(svg, note="", inline=False, fit=False, box_id=None):
    """The drawing in a scrolling, zoomable box, with what was folded said above it; `inline`
    puts the <svg> itself in the page (a file of ours, never sanitised) rather than an <img>;
    `fit` opens it whole, as an overview to click into, however small its text. The box's id is
    new each time unless given: a notebook may show the same picture twice on one page."""
    return fill(asset("view.html"), {
        "BOX_ID": box_id or new_box_id(),
        "FIT": "1" if fit else "0",
        "READABLE_SCALE": READABLE_SCALE,
        "VIEW_CSS": asset("view.css"),
        "VIEW_JS": asset("view.js"),
        "TOOLBAR_HTML": asset("toolbar.html"),
        "NOTE_HTML": note_html(note),
        "SVG_HERE": svg_element(svg) if inline else svg_image(svg),
    })


def note_html(note):
    """The folding note as readable text above the picture; each `command` in it on a line of its
    own, selected whole with one click."""
    if not note:
        return ""
    parts = html.escape(note).split("`")
    parts[1::2] = [f'<code class="ck-command">{command}</code>' for command in parts[1::2]]
    return f'<div class="ck-note">{"".join(parts)}</div>'
