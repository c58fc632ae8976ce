"""The WebAssembly layout engine outside a browser: never chosen, and what it says about PNG and PDF.
Its drawing is tested in the browser course itself (tests/browser/lite)."""

import pytest

from coursekit.tracing.engines import ENGINES, TraceError
from coursekit.tracing.wasm import WasmGraphviz, wasm_graphviz


def test_it_is_one_more_engine_and_is_not_chosen_outside_a_browser():
    assert wasm_graphviz in ENGINES
    assert wasm_graphviz() is None


@pytest.mark.parametrize("output_format", ["png", "pdf"])
def test_png_and_pdf_say_that_the_browser_saves_svg_only(output_format):
    with pytest.raises(TraceError) as raised:
        WasmGraphviz().run("digraph { a -> b }", output_format)
    assert str(raised.value) == ("In the browser, %%trace draws SVG only: save the picture with --save graph.svg "
                                 "(PNG and PDF need Graphviz on your own machine).")
