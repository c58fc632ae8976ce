"""Lay out DOT source as a picture: the one place a layout engine runs.

The engines, in the order they are tried (the first that can run here is used):

- Graphviz's `dot` on PATH, when the machine has Graphviz;
- `graphviz-pure`, a self-contained port of dot that pip installs with coursekit's notebook
  extra, so a machine without Graphviz (and without root) draws the same picture;
- Graphviz compiled to WebAssembly, in a browser kernel (the JupyterLite course), where there
  are no subprocesses (coursekit.tracing.wasm).

Each is found before every drawing and run as a plain subprocess with a time limit, so a missing
program gives one clear install message (and the caller a text tree), never a traceback from
inside the graphviz package, and no drawing can hang the kernel. Each entry of ENGINES is a
function that returns the engine when it can run here, else None; an engine has a `name` and
`run(source, output_format)`.
"""

import shutil
import subprocess
import sysconfig
from dataclasses import dataclass

from coursekit.tracing.wasm import wasm_graphviz

INSTALL_HINT = (
    "No program to lay out the picture: neither Graphviz's `dot` nor `graphviz-pure` was found, so the "
    "graph is shown as text and DOT source. Install the layout program into this Python with\n"
    "  %pip install graphviz-pure        (in a notebook cell)\n"
    "  python -m pip install graphviz-pure  (in a terminal)\n"
    "then run it again (or install Graphviz: sudo apt-get install graphviz, brew install graphviz, "
    "conda install -c conda-forge graphviz)."
)
TIMEOUT = 120  # seconds; a graph that needs longer should be folded (--max-nodes), not waited for


class TraceError(Exception):
    """A problem the user can fix, said in one sentence (shown without a traceback)."""


@dataclass(frozen=True)
class Program:
    """A layout engine run as a command: the DOT source on stdin, the picture on stdout."""

    name: str
    command: tuple

    def run(self, source, output_format):
        try:
            done = subprocess.run([*self.command, f"-T{output_format}"], input=source.encode(), capture_output=True,
                                  timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            raise TraceError(f"{self.name} needed more than {TIMEOUT} s for this graph; "
                             "draw fewer values with a lower --max-nodes.") from None
        if done.returncode:
            raise TraceError(f"{self.name} could not draw this graph: {done.stderr.decode(errors='replace').strip()}")
        return done.stdout


def system_dot():
    dot = shutil.which("dot")
    return Program("dot", (dot,)) if dot else None


def graphviz_pure():
    """graphviz-pure from this Python's scripts folder (not on PATH when a kernel runs from a venv) or PATH."""
    pure = shutil.which("graphviz-pure", path=sysconfig.get_path("scripts")) or shutil.which("graphviz-pure")
    return Program("graphviz-pure", (pure, "-Kdot")) if pure else None


ENGINES = (system_dot, graphviz_pure, wasm_graphviz)


def layout_engine():
    """The engine that lays out pictures here, or None when there is none."""
    return next((engine for engine in (find() for find in ENGINES) if engine), None)


def layout(source, output_format):
    """The picture of the DOT `source` as bytes (output_format: svg, png, pdf)."""
    engine = layout_engine()
    if engine is None:
        raise TraceError(INSTALL_HINT)
    return engine.run(source, output_format)
