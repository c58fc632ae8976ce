"""options -> graph -> drawing: one walk of the values, a drawing laid out once, marks as data.

The layout runs are counted by an engine that wraps the real one (listed as the only engine),
in a real in-process IPython shell for the magic.
"""

import re

import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
from sample_graphs import names_of, textbook

from coursekit import Value, trace
from coursekit.tracing import drawing, engines
from coursekit.tracing.digraph import MARKED, Marks, build_digraph
from coursekit.tracing.drawing import Drawing
from coursekit.tracing.graph import Walk
from coursekit.tracing.magics import TraceOptions, _parse


class CountingEngine:
    def __init__(self, engine):
        self.engine, self.name, self.runs = engine, engine.name, []

    def run(self, source, output_format):
        self.runs.append(output_format)
        return self.engine.run(source, output_format)


@pytest.fixture
def engine(monkeypatch):
    counting = CountingEngine(engines.layout_engine())
    monkeypatch.setattr(engines, "ENGINES", (lambda: counting,))
    return counting


@pytest.fixture
def graph():
    values = textbook()
    values["L"].backward()
    return trace(values["L"], names=names_of(values))


def test_a_drawing_shown_and_saved_is_laid_out_once_per_format(engine, graph, tmp_path):
    shown = Drawing(graph)
    assert "text/html" in shown.bundles("svg")[0]
    shown.save(tmp_path / "graph.svg")
    shown.save(tmp_path / "graph.html")
    assert engine.runs == ["svg"]
    assert (tmp_path / "graph.svg").read_bytes().decode().endswith(shown.picture("svg").decode())
    shown.save(tmp_path / "graph.png")
    assert engine.runs == ["svg", "png"]


def test_a_text_drawing_builds_no_digraph_and_runs_no_layout(engine, graph):
    shown = Drawing(graph)
    [bundle] = shown.bundles("text")
    assert bundle["text/plain"].startswith("L  data -8  grad 1")
    assert engine.runs == [] and "source" not in vars(shown)  # the DOT source was never made


def test_marks_colour_values_and_edges_and_add_a_line_to_the_edge_label(graph):
    source = build_digraph(graph, edges=True, marks=Marks(frozenset({1}), {0: "expected local 3"})).source
    lines = {m[1]: m[2] for m in re.finditer(r"^\s*(\w+(?: -> \w+)?) \[(.*)\]$", source, re.M)}
    assert red(lines["v1"]) and not red(lines["v0"]) and not red(lines["v2"])
    [edge] = [attrs for line, attrs in lines.items() if "id=e0" in attrs]
    assert re.search(r'label="[^"]*\\nexpected local 3"', edge) and red(edge)
    assert sum(map(red, lines.values())) == 2


def red(attributes):
    return all(part in attributes for part in (f' color="{MARKED}"', f'fontcolor="{MARKED}"', "penwidth=2.5"))


def test_the_walk_below_a_value_is_the_walk_of_that_value_alone():
    values = textbook()
    walk = Walk.of([values["a"], values["L"], values["e"]])
    assert walk.sinks() == [values["L"]]
    for name in ("L", "d", "e", "a"):
        assert walk.below(values[name]).graph() == trace(values[name]), name
    outside = Value(5.0) * 2
    assert walk.below(outside).values[0] is outside


@pytest.fixture
def shell(engine):
    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "coursekit")
    shell.user_ns["Value"] = Value
    return shell


def run(shell, cell):
    with capture_output() as captured:
        shell.run_cell(cell, store_history=False).raise_error()
    return captured


def test_trace_shown_and_saved_lays_out_once(shell, engine, tmp_path):
    path = tmp_path / "graph.svg"
    captured = run(shell, f"%%trace --grad --save {path}\nk = Value(3.0) * Value(4.0)")
    assert engine.runs == ["svg"]
    assert path.read_text().startswith("<?xml") and captured.stdout == f"Saved {path} ({path.stat().st_size:,} bytes).\n"
    assert "text/html" in captured.outputs[0].data


def test_trace_as_text_runs_no_layout(shell, engine, monkeypatch):
    monkeypatch.setattr(drawing, "build_digraph", None)  # would fail if called
    captured = run(shell, "%%trace --grad --format text\nk = Value(3.0) * Value(4.0)")
    assert engine.runs == []
    assert captured.outputs[0].data["text/plain"].startswith("k  data 12  grad 1  ← *")


def test_the_magics_arguments_become_trace_options(shell):
    magic = shell.find_cell_magic("trace").__self__.trace
    options = TraceOptions.from_arguments(_parse(magic, "--grad --no-ops --max-nodes 40 --format text L"))
    assert options == TraceOptions(grad=True, ops=False, max_nodes=40, output_format="text", expression="L")
    assert TraceOptions.from_arguments(_parse(magic, "")) == TraceOptions()


def test_a_long_name_is_cut_in_its_box_and_shown_whole_on_hover():
    name = "adam_step(" + ", ".join(f"param_{i}=Value({i}.0)" for i in range(14)) + ")"
    assert len(name) > 250
    value = Value(1.5, label=name)
    svg = Drawing(trace(value)).picture("svg").decode()
    shown = re.findall(r"<text[^>]*>(.*?)</text>", svg)[0]
    assert shown == "adam_step(param_0=Value(0.0), param_1=V…"
    assert f'xlink:title="{name}"' in svg  # the whole name, as the browser's tooltip
