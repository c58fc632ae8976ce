"""%%trace: time from cell to picture, for graphs of 10 to 100,000 values.

Each cell builds one layer of tanh neurons (a sum of w·x terms each, like an MLP's forward pass)
in an in-process IPython shell, once as a plain cell and once under %%trace; the difference is what
%%trace costs. Above --max-nodes the picture is the overview (inputs, layers, output as boxes).
The baseline is what drawing without folding costs (micrograd's draw_dot does this): every value
laid out by dot, run only where it finishes in reasonable time. Then whole MLPs (several layers)
of growing width, whose overview stays four boxes however big the network.
"""

import time

from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

from coursekit import Value, draw_dot, trace
from coursekit.tracing.engines import layout
from coursekit.tracing.view import svg_from_image

SIZES = [10, 100, 1_000, 20_000, 100_000]
BASELINE_UP_TO = 1_500  # dot needs ~6 s at 2,000 values and minutes at 5,000

CELL = """
inputs = [Value(0.01 * i) for i in range({inputs})]
layer = [sum((Value(0.5) * x for x in inputs), Value(0.0)).tanh() for _ in range({neurons})]
out = sum(layer)
"""


def cell_for(values):
    """The cell whose graph has about `values` values: inputs·(1 + 3·neurons) + 3·neurons + 1."""
    neurons = max(1, round((values / 300) ** 0.5))
    inputs = max(1, round((values - 3 * neurons - 1) / (1 + 3 * neurons)))
    return CELL.format(inputs=inputs, neurons=neurons)


MLP = """
import random
random.seed(0)
def neuron(inputs):
    return sum((Value(random.uniform(-1, 1)) * x for x in inputs), Value(0.0)).relu()
xs = [Value(random.uniform(-1, 1)) for _ in range({width})]
hidden = [neuron(xs) for _ in range({width})]
hidden2 = [neuron(hidden) for _ in range({width})]
out = neuron(hidden2)
"""
MLP_WIDTHS = [16, 32, 64]


def timed(shell, source, repeat=2):
    """Best wall time of `repeat` runs (the machine is shared) and the last run's outputs."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        with capture_output() as captured:
            result = shell.run_cell(source, store_history=False)
        result.raise_error()
        best = min(best, time.perf_counter() - start)
    return best, captured.outputs


def main():
    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "coursekit")
    shell.user_ns["Value"] = Value
    print(f"{'values':>8} {'plain cell':>11} {'%%trace cell':>13} {'SVG':>9} {'dot nodes':>9} {'baseline: draw all':>19}")
    for size in SIZES:
        source = cell_for(size)
        plain, _ = timed(shell, source)
        traced, outputs = timed(shell, "%%trace\n" + source)
        svg = picture(outputs)
        values = len(trace(shell.user_ns["out"]).nodes)
        drawn = svg.count('class="node"') - svg.count(">… ")  # records and ops, not the '…' boxes
        baseline = "skipped"
        if values <= BASELINE_UP_TO:
            start = time.perf_counter()
            layout(draw_dot(shell.user_ns["out"], max_nodes=None).source, "svg")
            baseline = f"{time.perf_counter() - start:.2f} s"
        print(f"{values:>8,} {plain:>9.2f} s {traced:>11.2f} s {len(svg) / 1e3:>6.0f} kB {drawn:>9} {baseline:>19}")
    print(f"\n{'MLP 3 layers':>12} {'values':>8} {'plain cell':>11} {'%%trace cell':>13} {'boxes drawn':>12}")
    for width in MLP_WIDTHS:
        source = MLP.format(width=width)
        plain, _ = timed(shell, source)
        traced, outputs = timed(shell, "%%trace\n" + source)
        values = len(trace(shell.user_ns["out"]).nodes)
        drawn = picture(outputs).count('class="node"')
        print(f"{'width ' + str(width):>12} {values:>8,} {plain:>9.2f} s {traced:>11.2f} s {drawn:>12}")


def picture(outputs):
    """The SVG of the drawing that the cell displayed."""
    [view] = [o.data["text/html"] for o in outputs if "text/html" in o.data]
    return svg_from_image(view)


if __name__ == "__main__":
    main()
