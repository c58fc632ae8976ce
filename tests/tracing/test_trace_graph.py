"""Graph extraction and folding, without a kernel and without dot."""

import math
import random

from hypothesis import given, settings
from hypothesis import strategies as st
from sample_graphs import MICROGRAD_VALUE, STUDENT_VALUE, load, names_of, neuron_layer, textbook

from coursekit import Value, trace
from coursekit.tracing.drawing import text_tree
from coursekit.tracing.fold import fold, fold_chains
from coursekit.tracing.graph import Graph, Walk, format_number, is_value
from coursekit.tracing.stepper import backward_steps


def by_label(graph):
    return {node.label: node for node in graph.nodes}


def assert_users_first(graph):
    for edge in graph.edges:
        assert edge.parent < edge.child, "every node comes after all the nodes that use it"


def test_textbook_graph_with_names_and_grads():
    values = textbook()
    values["L"].backward()
    graph = trace(values["L"], names=names_of(values))
    nodes = by_label(graph)
    assert set(nodes) == set("abcfedL")
    expected = dict(a=(2, 6), b=(-3, -4), c=(10, -2), f=(-2, 4), e=(-6, -2), d=(4, -2), L=(-8, 1))
    assert {k: (n.data, n.grad) for k, n in nodes.items()} == expected
    assert {k: n.op for k, n in nodes.items()} == dict(a="", b="", c="", f="", e="*", d="+", L="*")
    assert graph.nodes[0].label == "L"
    assert_users_first(graph)
    edges = {(graph.nodes[e.child].label, graph.nodes[e.parent].label): e.local_grad for e in graph.edges}
    assert edges == {("a", "e"): -3, ("b", "e"): 2, ("e", "d"): 1, ("c", "d"): 1, ("d", "L"): -2, ("f", "L"): 4}


def test_own_label_wins_over_variable_name():
    x = Value(1.0, label="weight")
    graph = trace(x * 2, names={id(x): "x"})
    assert "weight" in by_label(graph)


def test_a_value_used_twice_has_two_edges():
    a = Value(3.0)
    graph = trace(a * a)
    assert len(graph.nodes) == 2
    assert [e.local_grad for e in graph.edges] == [3.0, 3.0]


def test_student_class_draws_from_children_and_local_grads():
    StudentValue = load(STUDENT_VALUE)["StudentValue"]
    values = textbook(StudentValue)
    values["L"].backward()
    nodes = by_label(trace(values["L"], names=names_of(values)))
    assert {k: (n.data, n.grad, n.op) for k, n in nodes.items()}["a"] == (2.0, 6, "")
    assert nodes["L"].grad == 1 and nodes["b"].grad == -4


def test_micrograd_class_draws_from_prev_and_op_with_inferred_local_grads():
    MicroValue = load(MICROGRAD_VALUE)["MicroValue"]
    x, w = MicroValue(0.5, label="x"), MicroValue(-1.5, label="w")
    out = (x * w + x).tanh()
    out.label = "out"
    graph = trace(out)
    assert_users_first(graph)
    nodes = by_label(graph)
    assert nodes["out"].op == "tanh" and set(nodes) >= {"x", "w", "out"}
    # the inferred local gradients replay backward to micrograd's own answer
    replayed = {graph.nodes[s.node].label: s.upstream for s in backward_steps(graph)}
    out.backward()
    assert math.isclose(replayed["x"], x.grad) and math.isclose(replayed["w"], w.grad)


def test_micrograd_square_keeps_one_child_and_the_right_slope():
    MicroValue = load(MICROGRAD_VALUE)["MicroValue"]
    a = MicroValue(3.0)
    graph = trace(a * a)
    assert [e.local_grad for e in graph.edges] == [6.0]


def test_is_value_is_duck_typed_but_not_fooled_by_the_class_or_plain_objects():
    assert is_value(Value(1.0))
    assert not is_value(Value) and not is_value(3.0) and not is_value([Value(1.0)])


def test_several_roots_share_their_ancestors_and_sinks_are_the_outputs():
    values = textbook()
    graph = trace(values["e"], values["L"], values["a"])
    assert len(graph.nodes) == 7
    assert Walk.of([values["e"], values["L"], values["a"]]).sinks() == [values["L"]]


def test_a_chain_far_deeper_than_the_recursion_limit():
    x = Value(1.0)
    for _ in range(20_000):
        x = x + 1.0
    graph = trace(x)
    assert len(graph.nodes) == 40_001
    assert graph.nodes[0].data == 20_001.0


def test_small_graphs_are_not_folded():
    graph = trace(neuron_layer(5, 2))
    assert fold(graph, 300) == (graph, "")


def test_sums_fold_into_one_node_each():
    graph = trace(neuron_layer(30, 4))
    folded, chains, absorbed = fold_chains(graph)
    runs = [n for n in folded.nodes if n.kind == "chain"]
    assert sorted(n.count for n in runs) == [5, 31, 31, 31, 31]  # sum(layer) starts from 0; each neuron: 30 terms + bias
    assert all(n.op == "+" for n in runs) and chains == {"+": 5}
    assert absorbed == len(graph.nodes) - len(folded.nodes)


def test_a_layer_of_neurons_is_one_box_over_one_box_of_inputs():
    out = neuron_layer(100, 66)
    graph = trace(out)
    assert len(graph.nodes) > 20_000
    folded, note = fold(graph, 300)
    kinds = [n.kind for n in folded.nodes]
    assert kinds.count("layer") == 1 and kinds.count("inputs") == 1 and "more" not in kinds
    [layer] = [n for n in folded.nodes if n.kind == "layer"]
    assert layer.count == 66 and layer.form == "tanh(Σ 100 w·x + b)"  # the + b is the sum's start, Value(0.0)
    assert folded.nodes[0].data == out.data  # the output is drawn as itself
    assert "66 neurons into 1 layer box" in note and "100 inputs into 1 box" in note
    assert_users_first(folded)


def test_an_mlp_overview_shows_inputs_layers_and_output_by_name():
    random.seed(1)
    def neuron(inputs):
        return sum((Value(random.uniform(-1, 1)) * x for x in inputs), Value(0.1)).relu()
    xs = [Value(random.uniform(-1, 1)) for _ in range(8)]
    h1 = [neuron(xs) for _ in range(12)]
    h2 = [neuron(h1) for _ in range(12)]
    y = sum((Value(0.5) * h for h in h2), Value(0.0))  # a linear output neuron
    names = {id(y): "y"} | {id(v): f"{name}[{i}]" for name, vs in [("xs", xs), ("h1", h1), ("h2", h2)] for i, v in enumerate(vs)}
    folded, note = fold(trace(y, names=names), 100)
    assert text_tree(folded).splitlines() == [
        f"y  data {format_number(y.data)}  grad 0  ← Σ 12 w·x + b",
        "└─ h2: layer of 12 neurons, each relu(Σ 12 w·x + b)",
        "   └─ h1: layer of 12 neurons, each relu(Σ 8 w·x + b)",
        "      └─ xs: 8 inputs",
    ]
    assert "`%trace h2[0]`" in note or "`%trace h1[0]`" in note


def test_coursekit_nn_neurons_built_with_dot_nodes_fold_into_layers_too():
    from coursekit.nn import MLP

    random.seed(2)
    xs = [Value(i / 16) for i in range(16)]
    model = MLP(16, [16, 16, 1])
    y = model(xs)
    folded, note = fold(trace(y, names={id(y): "y"} | {id(x): f"xs[{i}]" for i, x in enumerate(xs)}), 300)
    assert text_tree(folded).splitlines() == [
        f"y  data {format_number(y.data)}  grad 0  ← Σ 16 w·x + b",
        "└─ layer of 16 neurons, each relu(Σ 16 w·x + b)",
        "   └─ layer of 16 neurons, each relu(Σ 16 w·x + b)",
        "      └─ xs: 16 inputs",
    ]
    assert "33 neurons into 2 layer boxes and 1 neuron box" in note
    assert_users_first(folded)


def test_graphs_without_neurons_are_cut_at_a_depth_within_max_nodes():
    out = Value.sum([Value(0.001 * i).exp().tanh() for i in range(3_000)])
    graph = trace(out)
    folded, note = fold(graph, 300)
    shown = [n for n in folded.nodes if n.kind != "more"]
    assert len(shown) == 300 and folded.nodes[0].data == out.data
    assert any(n.kind == "more" for n in folded.nodes)
    assert "deeper ones are left out" in note and "the 300 parts nearest the outputs" in note
    assert_users_first(folded)


def test_a_value_used_twice_by_one_node_is_kept_once():
    leaves = [Value(0.01 * i).exp() for i in range(400)]
    folded, _ = fold(trace(Value.sum([x * x for x in leaves])), 900)  # 1,201 values: 3 levels fit, then part of one
    users = [0] * len(folded.nodes)
    for edge in folded.edges:
        users[edge.child] += 1
    assert [i for i, n in enumerate(users) if n == 0] == [0]  # one output; no stray copy of a shared child
    assert len([n for n in folded.nodes if n.kind != "more"]) == 900


def test_a_single_huge_sum_keeps_its_output_and_as_many_terms_as_fit():
    out = sum(Value(float(i)) for i in range(5_000))
    folded, note = fold(trace(out), 50)
    shown = [n for n in folded.nodes if n.kind != "more"]
    assert len(shown) == 50 and folded.nodes[0].kind == "chain" and folded.nodes[0].count == 5_001
    assert "left out" in note


# -- replaying backward on the traced data agrees with backward() and with the calculus -------------

UNARY = [lambda v: v.tanh(), lambda v: v.exp() * 0.1, lambda v: v * v, lambda v: v.sigmoid()]
BINARY = [lambda x, y: x + y, lambda x, y: x * y, lambda x, y: x - y * 0.5]


@st.composite
def expressions(draw):
    """A random graph over 3 inputs, as a list of steps that can be rebuilt for any input values."""
    steps = draw(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 50), st.integers(0, 50)), min_size=1, max_size=12))
    inputs = draw(st.lists(st.floats(-2, 2), min_size=3, max_size=3))
    return steps, inputs


def build(steps, inputs):
    pool = [Value(x) for x in inputs]
    for kind, i, j in steps:
        x, y = pool[i % len(pool)], pool[j % len(pool)]
        pool.append(UNARY[kind](x) if kind < len(UNARY) else BINARY[kind - len(UNARY)](x, y))
    return pool[:3], pool[-1]


@settings(deadline=None, max_examples=60)
@given(expressions())
def test_replayed_backward_matches_backward_and_central_differences(case):
    steps, inputs = case
    leaves, out = build(steps, inputs)
    graph = trace(out, names={id(v): f"x{i}" for i, v in enumerate(leaves)})
    replayed = {graph.nodes[s.node].label: s.upstream for s in backward_steps(graph)}
    out.backward()
    h = 1e-6
    for i, leaf in enumerate(leaves):
        up, down = list(inputs), list(inputs)
        up[i] += h
        down[i] -= h
        numeric = (build(steps, up)[1].data - build(steps, down)[1].data) / (2 * h)
        ours = replayed.get(f"x{i}", 0.0)
        assert math.isclose(ours, leaf.grad, rel_tol=1e-9, abs_tol=1e-12)
        assert math.isclose(ours, numeric, rel_tol=1e-4, abs_tol=1e-5)


def test_graph_is_plain_data():
    graph = trace(textbook()["L"])
    assert isinstance(graph, Graph)
    nodes, edges = graph
    assert all(isinstance(n.data, float) for n in nodes) and all(isinstance(e.child, int) for e in edges)
