"""Op inference and expression labels for classes that store no op name (the student's, microGPT's).

The oracle for an inferred op is coursekit's reference Value, which names its ops: the same
expression built with both classes must draw the same op at the top.
"""

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sample_graphs import MICROGPT_VALUE, MICROGRAD_VALUE, NO_BACKWARD_VALUE, STUDENT_VALUE, load, names_of, textbook

from coursekit import Value, trace
from coursekit.tracing.infer import UNKNOWN, infer_op

GptValue = load(MICROGPT_VALUE)["GptValue"]
StudentValue = load(STUDENT_VALUE)["StudentValue"]
CourseValue = load((Path(__file__).resolve().parents[2] / "solutions" / "value.py").read_text())["Value"]  # the course's answer
MicroValue = load(MICROGRAD_VALUE)["MicroValue"]

PRIMITIVES = {
    "add": lambda a, b: a + b,
    "mul": lambda a, b: a * b,
    "square": lambda a, b: a**2,
    "cube": lambda a, b: a**3,
    "inverse": lambda a, b: a**-1,
    "log": lambda a, b: a.log(),
    "exp": lambda a, b: a.exp(),
    "relu": lambda a, b: a.relu(),
}
numbers = st.floats(min_value=-5, max_value=5, allow_nan=False).filter(lambda x: abs(x) > 1e-3)


def top_op(cls, build, x, y):
    return trace(build(cls(x), cls(y))).nodes[0].op


@pytest.mark.parametrize("cls", [GptValue, CourseValue], ids=["microgpt", "course-solution"])
@settings(deadline=None, max_examples=60)
@given(name=st.sampled_from(sorted(PRIMITIVES)), x=numbers, y=numbers)
def test_primitives_are_inferred_as_the_reference_names_them(cls, name, x, y):
    if name == "log":
        x = abs(x)
    reference = top_op(Value, PRIMITIVES[name], x, y)
    assert top_op(cls, PRIMITIVES[name], x, y) == reference, (name, x, y)


def test_relu_of_a_negative_number_is_relu():
    assert top_op(GptValue, PRIMITIVES["relu"], -2.0, 0.0) == "relu"


def test_derived_ops_draw_as_the_primitives_they_are_made_of():
    a, b = GptValue(3.0), GptValue(-2.0)
    names = {id(a): "a", id(b): "b"}
    assert trace(-a, names=names).nodes[0].expr == "a*(-1)"
    sub = trace(a - b, names=names)
    assert [sub.nodes[0].op, sub.nodes[0].expr] == ["+", "a + b*(-1)"]
    div = trace(a / b, names=names)
    assert [node.op for node in div.nodes if node.op] == ["*", "**-1"]
    assert div.nodes[0].expr == "a*b**-1"


def test_unknown_signature_is_a_question_mark():
    assert infer_op(5.0, [1.0, 2.0], [1.0, 1.0]) == UNKNOWN  # locals of + but data is not 1 + 2
    assert infer_op(2.0, [1.0], [None]) == UNKNOWN
    assert infer_op(math.sin(1.0), [1.0], [math.cos(1.0)]) == UNKNOWN  # sin is no op the course has
    Bare = load(NO_BACKWARD_VALUE)["Bare"]
    assert trace(Bare(1.0) + Bare(2.0)).nodes[0].op == UNKNOWN  # no local grads to read


@pytest.mark.parametrize("cls", [StudentValue, CourseValue, GptValue, Value], ids=["student", "course-solution", "microgpt", "coursekit"])
def test_textbook_ops_and_expressions_on_every_class(cls):
    values = textbook(cls)
    graph = trace(values["L"], names={id(values[k]): k for k in "abcf"})
    assert [(node.op, node.expr) for node in graph.nodes if node.op] == [
        ("*", "(a*b + c)*f"), ("+", "a*b + c"), ("*", "a*b")]


def test_micrograd_gets_expressions_from_its_op_names():
    x, w = MicroValue(0.5, label="x"), MicroValue(-1.5, label="w")
    graph = trace((x * w).tanh())
    assert graph.nodes[0].expr == "tanh(x*w)" or graph.nodes[0].expr == "tanh(w*x)"  # _prev is a set


def test_names_win_over_expressions_and_numbers_stand_for_unnamed_leaves():
    a, b, c = GptValue(2.0), GptValue(-3.0), GptValue(10.0)
    d = a * b + c
    graph = trace((d + 1).exp(), names={id(a): "a", id(b): "b", id(d): "d"})
    assert graph.nodes[0].expr == "exp(d + 1)"
    assert sorted(node.label for node in graph.nodes if node.label) == ["a", "b", "d"]
    assert graph.nodes[1].expr == "d + 1"


def test_long_expressions_keep_their_outer_shape():
    xs = [GptValue(0.1 * i) for i in range(6)]
    names = {id(x): f"input_{i}" for i, x in enumerate(xs)}
    total = sum(xs[1:], xs[0])
    graph = trace(total.exp(), names=names)
    top = graph.nodes[0].expr
    assert top == "exp(… + input_5)" and all(len(node.expr) <= 28 for node in graph.nodes)
    assert graph.nodes[1].expr == "… + input_5"


def test_student_stepper_names_what_it_passes_grads_to():
    from coursekit.tracing.stepper import backward_steps

    values = textbook(StudentValue)
    graph = trace(values["L"], names={id(values[k]): k for k in "abcf"})
    text = backward_steps(graph)[0].text
    assert text.startswith("Step 1 of 7: (a*b + c)*f passes its grad 1 to its inputs: a*b + c += 1 × -2"), text
    assert "()" not in " ".join(step.text for step in backward_steps(graph))


def test_student_textbook_records_name_every_value(tmp_path):
    from coursekit import draw_dot

    values = textbook(StudentValue)
    source = draw_dot(values["L"], names=names_of({k: values[k] for k in "abcf"})).source
    assert "a\\*b + c" not in source and "a*b + c" in source
    assert source.count("fillcolor=\"#fff59d\"") == 3  # three op nodes, as the reference draws
