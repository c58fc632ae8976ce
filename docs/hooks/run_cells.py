"""Run the ```python cells of a page in IPython and show what they display below each cell.

A page opts in with `run_cells: true` in its front matter. Its cells run in order in one shell,
as in a notebook, so every picture on the page is what `%%trace` draws today, never a stale copy.
A cell that fails stops the build with its error.
"""

import base64
import html
import re

from mkdocs.exceptions import PluginError

from coursekit.tracing.view import svg_element

CELL = re.compile(r"^```python\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
SLOT = "<!-- cell output {} -->"

_shell = None


def on_page_markdown(markdown, page, **kwargs):
    if not page.meta.get("run_cells"):
        return markdown
    shell = fresh_shell()
    outputs = []

    def run(match):
        outputs.append(run_cell(shell, match.group(1), page.file.src_uri))
        return f"{match.group(0)}\n\n{SLOT.format(len(outputs) - 1)}\n"

    markdown = CELL.sub(run, markdown)
    page.cell_outputs = outputs
    return markdown


def on_page_content(content, page, **kwargs):
    for number, output in enumerate(getattr(page, "cell_outputs", ())):
        content = content.replace(SLOT.format(number), output)
    return content


def fresh_shell():
    """One IPython shell for the whole build (it is a singleton), emptied for each page."""
    global _shell
    from IPython.core.interactiveshell import InteractiveShell

    if _shell is None:
        _shell = InteractiveShell.instance()
    _shell.reset(new_session=False)
    return _shell


def run_cell(shell, code, where):
    from IPython.utils.capture import capture_output

    with capture_output() as captured:
        result = shell.run_cell(code, store_history=False)
    if not result.success:
        error = result.error_in_exec or result.error_before_exec
        raise PluginError(f"{where}: a cell failed ({error!r}):\n{code}\n{captured.stderr}")
    parts = [_stream(captured.stdout), _stream(captured.stderr)]
    parts += [_rich(output.data) for output in captured.outputs]
    shown = "".join(part for part in parts if part)
    return f'<div class="cell-output">{shown}</div>' if shown else ""


def _stream(text):
    return f"<pre>{html.escape(text)}</pre>" if text.strip() else ""


def _rich(data):
    """The richest form a browser shows: HTML, an SVG picture, a PNG, else the plain text."""
    if "text/html" in data:
        return data["text/html"]
    if "image/svg+xml" in data:
        return svg_element(data["image/svg+xml"])  # inline: no XML prolog or doctype inside HTML
    if "image/png" in data:
        png = data["image/png"]
        png = png if isinstance(png, str) else base64.b64encode(png).decode("ascii")
        return f'<img alt="output" src="data:image/png;base64,{png}">'
    return _stream(data.get("text/plain", ""))
