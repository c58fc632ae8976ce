"""DOT building, display fallbacks, saving and the step-through view, without a kernel."""

import base64
import json
import re
import sysconfig

import graphviz
import pytest
from sample_graphs import MICROGRAD_VALUE, load, names_of, neuron_layer, textbook

from coursekit import Value, draw_dot, trace
from coursekit.tracing import drawing
from coursekit.tracing.digraph import COMPUTED, LEAF, OPERATION, build_digraph
from coursekit.tracing.drawing import MAX_INLINE_SVG, Drawing, text_tree
from coursekit.tracing.engines import INSTALL_HINT, TraceError, layout, layout_engine
from coursekit.tracing.fold import fold
from coursekit.tracing.stepper import steps_html
from coursekit.tracing.view import svg_from_image


@pytest.fixture
def example():
    values = textbook()
    values["L"].backward()
    return values, trace(values["L"], names=names_of(values))


def node_lines(source):
    return {m.group(1): m.group(2) for m in re.finditer(r"^\s*(\w+) \[(.*)\]$", source, re.M)}


def test_records_ops_and_colours(example):
    _, graph = example
    dot = build_digraph(graph)
    assert isinstance(dot, graphviz.Digraph)
    nodes = node_lines(dot.source)
    assert "rankdir=LR" in dot.source
    assert '"{ a | data 2 | grad 6 }"' in nodes["v6"] and LEAF in nodes["v6"] and "shape=record" in nodes["v6"]
    assert '"{ L | data -8 | grad 1 }"' in nodes["v0"] and COMPUTED in nodes["v0"]
    assert 'label="*"' in nodes["o0"] and OPERATION in nodes["o0"] and "shape=ellipse" in nodes["o0"]
    assert len([n for n in nodes if n.startswith("o")]) == 3


def test_top_to_bottom_records_and_no_op_nodes(example):
    _, graph = example
    dot = build_digraph(graph, rankdir="TB", ops=False)
    nodes = node_lines(dot.source)
    assert '"L | data -8 | grad 1"' in nodes["v0"]
    assert not [n for n in nodes if n.startswith("o")]
    assert re.search(r'v2 -> v0 \[label="\*"', dot.source)  # the op moved onto the edge


def test_edges_show_local_grads_then_the_chain_rule_product():
    values = textbook()
    before = build_digraph(trace(values["L"]), edges=True).source
    assert 'label="local -3"' in before and 'label="local 4"' in before
    values["L"].backward()
    after = build_digraph(trace(values["L"]), edges=True).source
    assert 'label="-2 × -3 = 6"' in after and 'label="1 × -2 = -2"' in after


def test_special_characters_in_labels_are_escaped():
    x = Value(1.0, label="a|b{c}")
    source = build_digraph(trace(x * 2)).source
    assert r"a\|b\{c\}" in source


def test_draw_dot_folds_big_graphs_and_writes_the_note_under_the_picture():
    dot = draw_dot(neuron_layer(100, 66))
    assert "folded" in dot.source and "labelloc=b" in dot.source
    assert "layer of 66 neurons\neach tanh(Σ 100 w·x + b)" in dot.source


def test_text_tree_lists_shared_leaves_under_each_user_but_no_subtree_twice(example):
    _, graph = example
    tree = text_tree(graph)
    assert tree.splitlines()[0] == "L  data -8  grad 1  ← *"
    assert "│  ├─ e  data -6  grad -2  ← *" in tree
    assert "└─ f  data -2  grad 4" in tree
    a = Value(1.0)
    shared = text_tree(trace((a * 2) * (a * 2), names={id(a): "a"}))
    assert shared.count("a  data 1") == 2  # a leaf is listed under each user; only subtrees are not repeated


def test_svg_bundle_has_the_picture_in_its_view_and_the_text_tree(example):
    _, graph = example
    [bundle] = Drawing(graph).bundles()
    view = bundle["text/html"]
    assert view.startswith('<div class="ck-view"') and "<svg " not in view  # a sanitiser keeps <img>, not <svg>
    assert "grad 6" in svg_from_image(view) and svg_from_image(view) == layout(build_digraph(graph).source, "svg").decode()
    assert "function ckView" in view and "<style>" in view  # self-contained: nothing to fetch
    assert 'style="overflow: auto' in view  # scrolls even where the <style> and script are stripped
    assert 'class="ck-toolbar" hidden style="display: none;"' in view  # no dead buttons without the script
    assert bundle["text/plain"] == text_tree(graph)


def test_the_picture_keeps_its_natural_size_so_text_stays_readable(example):
    _, graph = example
    svg = layout(build_digraph(graph).source, "svg").decode()
    assert not re.search(r"\bsize=", build_digraph(graph).source)
    assert re.search(r'font-size="14\.67"|font-size="11\.00"', svg)  # 11 pt, about 15 px at 1:1


def test_the_folding_note_is_text_above_the_picture_with_whole_commands():
    graph = trace(neuron_layer(30, 20))
    folded, note = fold(graph, 100)
    [bundle] = Drawing(folded, note).bundles()
    view = bundle["text/html"]
    assert view.index('class="ck-note"') < view.index('class="ck-picture"')
    assert f'<code class="ck-command">%%trace --max-nodes {len(graph.nodes)} --format text</code>' in view


def test_without_dot_on_path_graphviz_pure_draws_the_same_picture(example, monkeypatch, tmp_path):
    _, graph = example
    source = build_digraph(graph).source
    with_dot = layout(source, "svg")
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no dot on PATH
    assert layout_engine().name == "graphviz-pure"
    without = layout(source, "svg")
    # the system dot may be an older Graphviz, so coordinates differ by a few points; what is drawn may not
    assert drawn_parts(without) == drawn_parts(with_dot) and len(drawn_parts(with_dot)) == 7 + 3 + 9


def drawn_parts(svg):
    """{(id, class, its texts)} for every node and edge of an SVG made by dot."""
    found = re.findall(rb'<g id="(\w+)" class="(node|edge)">(.*?)</g>', svg, re.S)
    return {(ident, kind, tuple(re.findall(rb"<text[^>]*>(.*?)</text>", body))) for ident, kind, body in found}


def test_png_bundle_is_base64_png(example):
    _, graph = example
    [bundle] = Drawing(graph).bundles("png")
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG")
    assert bundle["text/plain"] == text_tree(graph)


def test_no_layout_program_gives_the_install_hint_text_tree_and_dot_source(example, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no dot on PATH
    monkeypatch.setattr(sysconfig, "get_path", lambda name: str(tmp_path))  # and no graphviz-pure beside Python
    _, graph = example
    shown = Drawing(graph).bundles()
    assert [b["text/plain"] for b in shown] == [INSTALL_HINT, text_tree(graph), build_digraph(graph).source]
    assert "%pip install graphviz-pure" in INSTALL_HINT and "apt-get install graphviz" in INSTALL_HINT
    with pytest.raises(TraceError, match="No program to lay out"):
        Drawing(graph).save(tmp_path / "g.svg")
    assert not list(tmp_path.iterdir())


def test_svgs_too_big_for_the_notebook_are_not_sent(monkeypatch, example):
    _, graph = example
    monkeypatch.setattr(drawing, "MAX_INLINE_SVG", 1000)
    [bundle] = Drawing(graph).bundles()
    assert "text/html" not in bundle and "--save graph.svg" in bundle["text/plain"]
    assert MAX_INLINE_SVG >= 1000


@pytest.mark.parametrize("suffix, start", [(".svg", b"<?xml"), (".png", b"\x89PNG"), (".dot", b"digraph"),
                                           (".txt", b"L  data -8"), (".html", b"<!DOCTYPE html>")])
def test_save_picks_the_format_from_the_suffix(example, tmp_path, suffix, start):
    _, graph = example
    path = tmp_path / f"graph{suffix}"
    message = Drawing(graph).save(path)
    assert path.read_bytes().startswith(start) and str(path) in message
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temp file left behind


def test_save_refuses_unknown_suffixes(example, tmp_path):
    _, graph = example
    with pytest.raises(TraceError, match="unknown suffix '.jpeg'"):
        Drawing(graph).save(tmp_path / "g.jpeg")
    assert not list(tmp_path.iterdir())


def test_saved_files_are_ordinary_files_not_private_temp_files(example, tmp_path):
    _, graph = example
    path = tmp_path / "graph.dot"
    Drawing(graph).save(path)
    assert path.stat().st_mode & 0o044  # readable by others, as with any file the umask allows


def steps_data(html):
    return json.loads(re.search(r'class="ck-data">(.*?)</script>', html, re.S).group(1))


def test_step_through_has_one_step_per_backward_node_and_works_offline(example):
    _, graph = example
    html = steps_html(graph)
    data = steps_data(html)
    assert 'data-step-count="7"' in html and len(data["steps"]) == 7
    assert [data["labels"][s["node"]] for s in data["steps"]] == [n.label for n in graph.nodes]
    first = data["steps"][0]
    assert first["text"].startswith("Step 1 of 7: L passes its grad 1")
    assert sorted(first["updates"]) == [[1, "4"], [2, "-2"]]
    for hook in ["ck-prev", "ck-next", "ck-play", "ck-slider", "ck-status", "ck-position"]:
        assert f'class="{hook}"' in html
    assert "<script src" not in html and "<link" not in html and "@import" not in html
    edge_ids = re.findall(r'<g id="(ck_\w+?_e\d+)" class="edge"', svg_from_image(html))
    assert len(edge_ids) == len(graph.edges)
    assert 'data-step="7"' in html and "trust the notebook" in html  # without the script: the finished pass


def test_step_through_final_grads_match_backward():
    values = textbook()
    graph = trace(values["L"], names=names_of(values))  # no backward(): the view replays it
    data = steps_data(steps_html(graph))
    grads = list(data["start"])
    for step in data["steps"]:
        for child, grad in step["updates"]:
            grads[child] = grad
    values["L"].backward()
    assert dict(zip(data["labels"], grads)) == {k: f"{v.grad:g}" for k, v in values.items()}


def test_step_through_of_micrograd_uses_inferred_local_grads():
    MicroValue = load(MICROGRAD_VALUE)["MicroValue"]
    x = MicroValue(0.5, label="x")
    html = steps_html(trace((x * x + x).tanh()))
    assert 'data-step-count="4"' in html  # tanh, +, * and x


def test_render_reports_dot_errors_as_a_trace_error():
    with pytest.raises(TraceError, match=f"^{layout_engine().name} could not draw this graph: "):
        layout("digraph { this is not dot {", "svg")
