"""Graphviz compiled to WebAssembly: the layout engine of a browser kernel (the JupyterLite course).

In a Pyodide kernel there is no subprocess, so neither `dot` nor `graphviz-pure` can run. The
browser course's coursekit wheel carries Viz.js (Graphviz's dot built to WebAssembly, one ES
module from the npm registry, put there by `make lite`) as package data. The kernel imports it
from a Blob URL, so the picture needs nothing from the network, and asks it for SVG.

Loading takes about a second, once per kernel. Where the browser can suspend WebAssembly for a
promise (JavaScript Promise Integration, `pyodide.ffi.can_run_sync`), the first drawing waits for
it; elsewhere loading starts with the first drawing, which then says to run the cell again.
"""

import functools
import json
import sys
from importlib import resources

ASSET = "assets/viz.js"          # in this package; `make lite` writes it into the browser's wheel
PACKAGE_PATH = f"coursekit/tracing/{ASSET}"
SVG_ONLY = ("In the browser, %%trace draws SVG only: save the picture with --save graph.svg "
            "(PNG and PDF need Graphviz on your own machine).")
STILL_LOADING = "Graphviz is still loading in the browser; run the cell again in a second or two."


class WasmGraphviz:
    """Viz.js in this kernel: `run(source, "svg")` lays out DOT source with Graphviz's dot."""

    name = "Graphviz (WebAssembly)"

    def __init__(self):
        self._instance = None
        self._loading = None

    def run(self, source, output_format):
        from coursekit.tracing.engines import TraceError

        if output_format != "svg":
            raise TraceError(SVG_ONLY)
        from js import Object
        from pyodide.ffi import JsException, to_js

        viz = self._ready()
        if viz is None:
            raise TraceError(STILL_LOADING)
        try:
            options = to_js({"format": "svg", "engine": "dot"}, dict_converter=Object.fromEntries)
            return viz.renderString(source, options).encode()
        except JsException as error:
            raise TraceError(f"{self.name} could not draw this graph: {error}") from None

    def _ready(self):
        """The Viz.js instance, loading it first if need be; None while it is still loading."""
        from pyodide.ffi import can_run_sync, run_sync

        if self._instance is None and self._loading is None:
            self._loading = _import_viz()
            self._loading.then(self._loaded)
        if self._instance is None and can_run_sync():
            self._instance = run_sync(self._loading)
        return self._instance

    def _loaded(self, instance):
        self._instance = instance


def _import_viz():
    """A promise of a Viz.js instance, imported from the package's copy through a Blob URL."""
    from js import URL, Blob, Object
    from pyodide.code import run_js
    from pyodide.ffi import to_js

    text = resources.files("coursekit.tracing").joinpath(ASSET).read_text(encoding="utf-8")
    blob = Blob.new(to_js([text]), to_js({"type": "text/javascript"}, dict_converter=Object.fromEntries))
    url = URL.createObjectURL(blob)
    return run_js(f"import({json.dumps(url)}).then(module => module.instance())")


def wasm_graphviz():
    """The WebAssembly engine in a browser kernel whose coursekit carries Viz.js, else None."""
    if sys.platform != "emscripten" or not resources.files("coursekit.tracing").joinpath(ASSET).is_file():
        return None
    return _kernel_engine()


@functools.cache
def _kernel_engine():
    return WasmGraphviz()  # one per kernel: Viz.js is loaded once
