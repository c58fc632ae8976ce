"""What a student reads when their Value class is written in another style than the course's.

Each class in styles/ is written the way real students and tutorials write one (micrograd's
closures, lists, bare numbers, keyword-only constructors, dataclasses, __slots__, a float subclass,
children in a set, an op name in the constructor, a print at import...); VARIANTS are the course's
solution with one thing done another way (a recursive walk, a swapped mul...). Each test grades one
on the course's own rubrics and asserts the exact sentence the student reads, and the hint."""

import shutil
from pathlib import Path

import pytest
from grading_helpers import EXERCISE, HIDDEN_TESTS, SOLUTION, solution_with

from coursekit.grading import grade_plan, plan_run

STYLES = Path(__file__).with_name("styles")
STORE_HINT = "store the inputs in self._children and their local gradients in self._local_grads (these names)"
RECURSIVE_WALK = """
    topo, visited = [], set()

    def build(node):
        if node not in visited:
            visited.add(node)
            for child in node._children:
                build(child)
            topo.append(node)

    build(self)
    self.grad = 1
    for node in reversed(topo):
        for child, local_grad in zip(node._children, node._local_grads):
            child.grad += local_grad * node.grad
"""
SWAPPED_MUL = """
    other = other if isinstance(other, Value) else Value(other)
    return Value(self.data * other.data, (self, other), (self.data, other.data))
"""


def without(*methods):
    """The course solution without some methods (not written yet)."""
    text = SOLUTION
    for method in methods:
        start = text.index(f"    def {method}(")
        text = text[:start] + text[text.index("\n    def ", start + 1) + 1:]
    return text


ACCUMULATES = "child.grad += local_grad * node.grad"
TOP_LEVEL_CHECK = """

a = Value(2.0)
b = Value(-3.0)
c = a * b + a
c.backward()
print("c =", c, "a.grad =", a.grad, "b.grad =", b.grad)
"""
VARIANTS = {
    "recursive_walk": solution_with(backward=RECURSIVE_WALK),  # micrograd's lecture walk
    "overwrite_recursive_walk": solution_with(backward=RECURSIVE_WALK.replace("+=", "=")),
    "overwrite_stack_walk": SOLUTION.replace(ACCUMULATES, ACCUMULATES.replace("+=", "=")),
    "swapped_mul": solution_with(__mul__=SWAPPED_MUL),  # neg, sub and div are built from mul
    "missing_sub": without("__sub__", "__rsub__"),
    # the student's own check at the bottom of the file: it prints at import
    "top_level_print": SOLUTION + TOP_LEVEL_CHECK,
    # children in a set, as micrograd keeps its _prev: zip(children, local_grads) pairs them in an
    # order that changes from run to run
    "set_children": SOLUTION.replace("self._children = children ", "self._children = set(children)"),
    # local gradients in a dict keyed by child; a node that uses one child twice (a + a) keeps one entry
    "dict_local_grads": SOLUTION.replace(
        "self._local_grads = local_grads", "self._local_grads = dict(zip(children, local_grads))").replace(
        "zip(node._children, node._local_grads)", "node._local_grads.items()"),
    # @dataclass with the default eq=True: it compares by its fields, so it cannot be hashed
    "dataclass_unhashable": (STYLES / "dataclass_by_identity.py").read_text().replace(
        "@dataclass(eq=False)  # compare and hash by identity: a Value is a node of a graph", "@dataclass"),
}


def style_source(style):
    """The source of styles/STYLE.py, or of a variant."""
    return VARIANTS[style] if style in VARIANTS else (STYLES / f"{style}.py").read_text()


@pytest.fixture(scope="module")
def plans():
    return {assignment: plan_run(HIDDEN_TESTS / assignment) for assignment in ("ch1", "ch2", "ch4")}


@pytest.fixture(scope="module")
def graded(plans, tmp_path_factory):
    """graded(style, assignment) -> the GradeReport of styles/STYLE.py, or of a variant, on one chapter."""
    folder = tmp_path_factory.mktemp("variants")

    def grade_style(style, assignment):
        path = STYLES / f"{style}.py"
        if style in VARIANTS:
            path = folder / f"{style}.py"
            path.write_text(style_source(style))
        return grade_plan(path, plans[assignment])

    return grade_style


def read(report, test):
    """Each distinct (label of its first case, problem, hint) a test's failures say, in case order."""
    (result,) = [result for result in report.tests if result.name == test]
    said = {}
    for failure in result.failures:
        said.setdefault((failure.problem, failure.hint), failure.label)
    return [(label, problem, hint) for (problem, hint), label in said.items()]


def first(report, test):
    return read(report, test)[0][1:]


def test_a_micrograd_class_is_told_it_keeps_its_graph_in_closures(graded):
    report = graded("micrograd_closures", "ch1")
    assert first(report, "mul") == (
        "a * b returned a Value with no _children and no _local_grads (micrograd's layout: children in _prev, "
        "local gradients inside _backward), so the grader cannot read its graph", STORE_HINT)
    assert all("not a Value" not in failure.problem for test in report.tests for failure in test.failures)


def test_a_micrograd_backward_is_told_why_its_grads_stay_zero(graded):
    report = graded("micrograd_closures", "ch4")
    assert first(report, "backward") == (
        "the grader builds each node as Value(data, children, local_grads), and yours kept no _children and no "
        "_local_grads (micrograd's layout: children in _prev, local gradients inside _backward), so backward() "
        "cannot use the local gradients it was given", STORE_HINT)
    assert report.score == 3.33  # the nodes without children (single, lonely) still pass: their grad is 1


@pytest.mark.parametrize("style", ["list_local_grads", "float_local_grad"])
def test_local_gradients_in_a_list_or_a_bare_number_for_one_child_are_read(graded, style):
    for assignment in ("ch1", "ch2", "ch4"):
        report = graded(style, assignment)
        assert [(test.name, test.score) for test in report.tests if test.score < test.max_score] in (
            [], [("softplus", 0.0)])  # softplus lives in the chapter's notebook, not in value.py


@pytest.mark.parametrize("style", ["dataclass_by_identity", "slots_and_tanh", "reflected_aliases", "math_e_power"])
def test_right_classes_in_other_styles_get_full_marks(graded, style):
    """A @dataclass(eq=False), __slots__ (with an extra tanh), `__radd__ = __add__` aliases (the
    reflected forms' children come in the other order: they are judged on gradients), and
    math.e ** x for exp (a few units in the last place off math.exp, well within the tolerance)."""
    for assignment in ("ch1", "ch2", "ch4"):
        report = graded(style, assignment)
        assert [(test.name, test.score) for test in report.tests if test.score < test.max_score] in (
            [], [("softplus", 0.0)])  # softplus lives in the chapter's notebook, not in value.py


def test_a_bare_number_for_two_children_is_explained(plans, tmp_path):
    source = (STYLES / "float_local_grad.py").read_text()
    path = tmp_path / "value.py"
    path.write_text(source.replace("(self, other), (1, 1))", "(self, other), 1.0)"))
    assert first(grade_plan(path, plans["ch1"]), "add") == (
        "a Value with 2 children stores its local gradients as one float: store one per child, in the children's "
        "order, in a tuple such as (1, 1)", "")


def test_a_keyword_only_constructor_is_told_how_the_grader_builds_nodes(graded):
    report = graded("keyword_only", "ch4")
    assert read(report, "backward") == [(
        "backward on one node with two children",
        "the grader builds each node as Value(data, children, local_grads), and your Value refused it "
        "(Value.__init__() takes 2 positional arguments but 4 were given): give __init__ the parameters "
        "(self, data, children=(), local_grads=())", "")]
    assert graded("keyword_only", "ch1").score == 20.0  # its own operations build with keywords and pass


def test_a_missing_operator_method_is_named_not_blamed_on_plain_numbers(graded):
    said = {label: (problem, hint) for label, problem, hint in read(graded("missing_sub", "ch2"), "sub")}
    assert said["Value(5.0) - Value(2.0)"] == (
        "Value has no __sub__ method, so Value - Value cannot be computed: define __sub__(self, other)", "")
    assert said["Value(1.0) - 3"] == (
        "Value has no __sub__ method, so Value - int cannot be computed: define __sub__(self, other)", "")
    assert said["4 - Value(1.5)"] == (
        "Value has no __rsub__ method, so int - Value (a plain number on the left) cannot be computed: "
        "define __rsub__(self, other)", "")


def test_a_missing_unary_minus_is_named(plans, make_submission):
    report = grade_plan(make_submission(without("__neg__")), plans["ch2"])
    assert first(report, "neg") == ("Value has no __neg__ method, so -Value cannot be computed: define __neg__(self)", "")


def test_an_operator_that_refuses_plain_numbers_gets_the_rubrics_hint(plans, make_submission):
    add = """
        if not isinstance(other, Value):
            return NotImplemented
        return Value(self.data + other.data, (self, other), (1, 1))
    """
    said = {label: (problem, hint) for label, problem, hint in read(grade_plan(make_submission(solution_with(__add__=add)),
                                                                                plans["ch1"]), "add")}
    assert said["Value(1.5) + 4"] == ("TypeError: unsupported operand type(s) for +: 'Value' and 'int'",
                                      "__add__ must accept a plain number too: wrap it in a Value")


OVERWRITES = "backward overwrites (grad = ...) instead of accumulating (grad += ...): a node used twice loses a path"


@pytest.mark.parametrize("style, diamond", [("overwrite_recursive_walk", "(2, 1, 1, 1)"),
                                            ("overwrite_stack_walk", "(3, 1, 1, 1)")])
def test_overwriting_grads_gets_its_hint_whichever_way_the_graph_is_walked(graded, style, diamond):
    said = read(graded(style, "ch4"), "backward")
    assert said[0] == ("backward on a node used by two others (the diamond)",
                       f"grads after backward(): expected (5, 1, 1, 1), got {diamond}", OVERWRITES)
    assert {hint for _, problem, hint in said if "RecursionError" not in problem} == {OVERWRITES}


def test_a_recursive_walk_on_a_long_chain_reads_one_short_sentence_with_where(graded):
    from coursekit.grading.report import format_report

    report = graded("recursive_walk", "ch4")
    lines = VARIANTS["recursive_walk"].splitlines()
    start = next(number for number, text in enumerate(lines, 1) if "def build(node):" in text)
    ((label, problem, hint),) = read(report, "backward")
    assert label == "backward on a chain of 10000 nodes"  # a public example: %check shows it too
    assert problem in {f"RecursionError: maximum recursion depth exceeded (value.py, line {line}, in build)"
                       for line in range(start + 1, start + 6)}  # the line of build() where the limit was hit
    assert hint == "build the topological order with a loop and an explicit stack: a recursive walk overflows on deep graphs"
    for kind in ("text", "json", "gradescope"):
        assert "Traceback" not in format_report(report, kind)


def test_operations_built_from_a_swapped_mul_say_they_fail_because_of_it(graded):
    report = graded("swapped_mul", "ch2")
    for test in ("neg", "sub", "div"):
        assert {hint for _, _, hint in read(report, test)} == {
            f"{test} fails because mul's local gradients are swapped (your {test} is built from mul): fix mul first"}
    assert read(report, "neg")[0][:2] == ("-Value(2.0)", "gradient w.r.t. a (through your _children and _local_grads): "
                                                         "expected -1, got 2")


def test_an_operation_built_from_a_wrong_add_says_so_and_add_itself_keeps_its_own_words(plans, make_submission):
    path = make_submission(solution_with(__add__="""
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), (1, 0))
    """))
    assert {hint for _, _, hint in read(grade_plan(path, plans["ch2"]), "sub")} == {
        "sub fails because add's local gradients are wrong (your sub is built from add): fix add first"}
    assert {hint for _, _, hint in read(grade_plan(path, plans["ch1"]), "add")} == {""}


def test_a_fault_in_the_grader_reaches_the_student_as_one_sentence_and_the_instructor_as_a_log(
        monkeypatch, tmp_path, caplog):
    from coursekit.grading.checks import CHECKS
    from coursekit.grading.checks.values import Values
    from coursekit.grading.report import format_report

    class Faulty(Values):  # a kind of check with a bug in its own code
        name = "faulty"

        def compare(self, spec, case, expected, got, close):
            return 1 / (len(got.outputs) - 1)

    monkeypatch.setitem(CHECKS, "faulty", Faulty())
    folder = tmp_path / "faulty"
    folder.mkdir()
    (folder / "rubric.toml").write_text('[tests.mul]\npoints = 10\ncheck = "faulty"\ntarget = "Value(a) * Value(b)"\n'
                                        'examples = ["Value(2.0) * Value(-3.0)"]\n')
    report = grade_plan(STYLES / "list_local_grads.py", plan_run(folder))
    assert read(report, "mul") == [("Value(2.0) * Value(-3.0)", "the grader could not judge this case (a fault in the "
                                    "grader, not in your code); your instructor has the details", "")]
    for kind in ("text", "json", "gradescope"):
        assert "ZeroDivisionError" not in format_report(report, kind)
    (record,) = [record for record in caplog.records if record.name == "coursekit.grading.judgement"]
    assert record.getMessage() == "[tests.mul] could not be judged: a fault in the grader"
    assert record.exc_info[0] is ZeroDivisionError


@pytest.mark.parametrize("style, assignment", [("swapped_mul", "ch1"), ("swapped_mul", "ch2"),
                                               ("overwrite_stack_walk", "ch4"), ("micrograd_closures", "ch4")])
def test_text_json_and_gradescope_reports_show_the_same_numbers_and_sentences(graded, style, assignment):
    import json
    import re

    from coursekit.grading.report import failure_lines, format_report

    report = graded(style, assignment)
    text = format_report(report, "text")
    as_json, gradescope = json.loads(format_report(report, "json")), json.loads(format_report(report, "gradescope"))
    in_text = {name: (cases, points) for name, cases, points in re.findall(r"^ (\w+) +│ +(\d+/\d+) │ +([\d.]+/[\d.]+) │", text, re.M)}
    in_json = {test["name"]: (f"{test['passed']}/{test['total']}", f"{test['score']:g}/{test['max_score']:g}")
               for test in as_json["tests"]}
    in_gradescope = {test["name"]: (test["output"].split(" ")[0], f"{test['score']:g}/{test['max_score']:g}")
                     for test in gradescope["tests"]}
    assert in_text == in_json == in_gradescope and len(in_text) == len(report.tests)
    assert f"Total: {report.score:g} / {report.max_score:g}" in text
    assert as_json["score"] == gradescope["score"] == report.score
    assert gradescope["output"].startswith(f"Total: {report.score:g} / {report.max_score:g}")
    for test, shown in zip(report.tests, gradescope["tests"]):
        lines = failure_lines(test)
        assert shown["output"].splitlines()[1:] == lines and all(line.strip() in text for line in lines)


def test_coursekit_check_gives_the_overwrite_hint_to_a_stack_walk_too(tmp_path):
    from click.testing import CliRunner

    from coursekit.cli import main

    folder = tmp_path / "exercises"
    shutil.copytree(EXERCISE, folder)
    (folder / "value.py").write_text(VARIANTS["overwrite_stack_walk"])
    result = CliRunner().invoke(main, ["check", str(folder / "value.py"), "--assignment", "ch4"])
    assert result.exit_code == 1
    assert ("backward on a node used by two others (the diamond): grads after backward(): expected (5, 1, 1, 1), "
            f"got (3, 1, 1, 1)\n    hint: {OVERWRITES}\n") in result.output


def test_div_built_from_a_wrong_pow_says_so_and_pow_itself_keeps_the_rubrics_hint(plans, make_submission):
    report = grade_plan(make_submission(solution_with(__pow__="return Value(self.data**n, (self,), (self.data ** (n - 1),))")),
                        plans["ch2"])
    assert {hint for _, _, hint in read(report, "div")} == {
        "div fails because pow's local gradients are wrong (your div is built from pow): fix pow first"}
    assert {hint for _, _, hint in read(report, "pow")} == {"pow is missing the factor n: d(a**n)/da = n * a**(n-1)"}


def test_an_operator_that_reads_data_of_a_plain_number_is_told_to_wrap_it(plans, make_submission):
    source = solution_with(__add__="return Value(self.data + other.data, (self, other), (1, 1))")
    line = next(number for number, text in enumerate(source.splitlines(), 1) if "self.data + other.data" in text)
    said = read(grade_plan(make_submission(source), plans["ch1"]), "add")
    wrap = "__add__ must accept a plain number too: wrap it in a Value (other = Value(other)) before reading .data"
    assert said[0] == ("Value(1.5) + 4", f"AttributeError: 'int' object has no attribute 'data' (value.py, line {line}, "
                                         "in __add__)", wrap)
    assert {hint for _, _, hint in said} == {wrap}  # 3 + Value(0.5) too: __radd__ calls the same __add__


def test_a_file_that_prints_at_import_keeps_full_marks_and_its_output_is_shown_as_it_is(graded):
    from coursekit.grading.report import format_report

    for assignment in ("ch1", "ch4"):
        report = graded("top_level_print", assignment)
        assert report.score == report.max_score
        assert report.output["stdout"] == "c = Value(data=-4.0, grad=1) a.grad = -2.0 b.grad = 2.0\n"
        assert "--- your code's stdout ---\nc = Value(data=-4.0, grad=1) a.grad = -2.0 b.grad = 2.0\nTotal:" in format_report(
            report, "text")  # nothing was cut, so nothing says so


def test_an_op_name_between_children_and_local_grads_is_told_where_the_local_grads_went(graded):
    """Its backward() is right, but the grader's Value(data, children, local_grads) puts the local
    gradients in its _op parameter: only the graph without children passes (lonely, as example and
    as boundary), and what the student reads names the constructor, not backward()."""
    report = graded("op_name_parameter", "ch4")
    said = read(report, "backward")
    assert said == [("backward on one node with two children",
                     "the grader builds each node as Value(data, children, local_grads), and yours kept the local "
                     "gradients it was given in _op, not in _local_grads: give __init__ the parameters "
                     "(self, data, children=(), local_grads=()), in this order", "")]
    (backward,) = report.tests
    assert backward.passed == 2 and backward.score == 3.33  # the lone node, as example and as boundary
    for assignment in ("ch1", "ch2"):  # its own operations pass their op names: every one is right
        assert [test.name for test in graded("op_name_parameter", assignment).tests if test.score < test.max_score] in (
            [], ["softplus"])


def test_a_pow_that_also_takes_a_value_exponent_is_right(graded):
    """Its exponent becomes a second child (a leaf made from the plain number) with d(a**b)/db beside
    it: no gradient of the input changes, and a's local gradient is n * a**(n-1)."""
    report = graded("value_exponent", "ch2")
    assert [(test.name, test.score) for test in report.tests if test.score < test.max_score] == [("softplus", 0.0)]
    assert {test.name: test.passed for test in report.tests}["pow"] == 23  # the negative and zero bases too


def test_a_mul_whose_children_are_copies_of_its_inputs_is_still_told_so(plans, make_submission):
    copies = """
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (Value(self.data), Value(other.data)), (other.data, self.data))
    """
    said = read(grade_plan(make_submission(solution_with(__mul__=copies)), plans["ch1"]), "mul")
    assert said[0] == ("Value(2.0) * Value(-3.0)",
                       "children: expected the input Values (a, b) themselves, got (another Value, another Value)", "")


def test_a_float_subclass_is_told_which_reflected_method_float_answered_for(graded):
    """`4 - Value(1.5)` calls float's __rsub__ (the class defines none): a plain float, no graph. Only
    the cases with a plain number on the left fail: 13 of sub's 18 cases and 13 of div's 20 pass."""
    report = graded("float_subclass", "ch2")
    said = {label: problem for label, problem, _ in read(report, "sub")}
    assert said == {"4 - Value(1.5)": "Value has no __rsub__ method of its own, so int - Value (a plain number on the "
                                      "left) used float's, which returns a plain float: define __rsub__(self, other)",
                    "hidden case: a - b, a plain number on the left": "Value has no __rsub__ method of its own, so float "
                    "- Value (a plain number on the left) used float's, which returns a plain float: define "
                    "__rsub__(self, other)"}
    assert {problem for _, problem, _ in read(report, "div")} >= {
        "Value has no __rtruediv__ method of its own, so int / Value (a plain number on the left) used float's, which "
        "returns a plain float: define __rtruediv__(self, other)"}
    scores = {test.name: (test.passed, test.total, test.score) for test in report.tests}
    assert scores["sub"] == (13, 18, 7.22) and scores["div"] == (13, 20, 6.5)
    assert graded("float_subclass", "ch1").score == 20 and graded("float_subclass", "ch4").score == 30


def test_a_dataclass_that_cannot_be_hashed_is_told_why_its_set_refuses_it(graded):
    """@dataclass with the default eq=True has __eq__ and no __hash__: its operations are right
    (ch1, ch2), and its backward() fails at `node not in visited` on every graph, the lone node too."""
    source = style_source("dataclass_unhashable").splitlines()
    line = next(number for number, text in enumerate(source, 1) if "node not in visited" in text)
    report = graded("dataclass_unhashable", "ch4")
    assert {(problem, hint) for _, problem, hint in read(report, "backward")} == {(
        f"TypeError: unhashable type: 'Value' (value.py, line {line}, in backward)",
        "a Value with __eq__ and no __hash__ (a @dataclass without eq=False) cannot go in a set: use "
        "@dataclass(eq=False), or put id(node) in the set")}
    assert report.score == 0
    assert graded("dataclass_unhashable", "ch1").score == 20


def test_children_in_a_set_fail_the_same_way_on_every_run(graded):
    """A set's order follows the Values' addresses: read as they come, its two children would pass or
    fail a case from one run to the next. Every node with two or more children fails, and says why;
    one child (exp, log, relu, pow, a chain) has no order to lose."""
    unordered = ("a Value keeps its 2 children in a set, which has no order, so its local gradients cannot be "
                 "matched to them: store the children in a tuple, in the order of the local gradients")
    ch1 = graded("set_children", "ch1")
    assert {problem for test in ("add", "mul") for _, problem, _ in read(ch1, test)} == {
        unordered, "children: expected the input Values (a, a) themselves, got (a)"}  # a + a: the set holds a once
    assert ch1.score == 0
    ch2 = {test.name: test.score for test in graded("set_children", "ch2").tests}
    assert [name for name, score in ch2.items() if score == 0] == ["neg", "sub", "div", "softplus"]  # built from add, mul
    assert all(ch2[name] == {"pow": 10, "log": 5, "exp": 5, "relu": 5}[name] for name in ("pow", "log", "exp", "relu"))
    ch4, again = graded("set_children", "ch4"), graded("set_children", "ch4")  # two runs, two child processes
    said = [(failure.label, failure.problem) for failure in ch4.tests[0].failures]
    assert said == [(failure.label, failure.problem) for failure in again.tests[0].failures]
    assert said[:4] == [(label, unordered) for label in (
        "backward on one node with two children", "backward on a node used by two others (the diamond)",
        "backward on a node used directly and through another node", "backward() called twice on the same graph")]


def test_local_gradients_in_a_dict_are_named_as_such_not_as_values(graded):
    """Read as a sequence, the dict gives its keys, the children: the sentence names the dict. Its own
    backward() is right on every graph but those where a node uses one child twice (hidden random ones)."""
    dict_sentence = ("a Value stores its local gradients in a dict: store them in a tuple, one per child, in the "
                     "children's order (a dict keyed by child holds a + a's child once)")
    ch1 = graded("dict_local_grads", "ch1")
    assert {problem for test in ("add", "mul") for _, problem, _ in read(ch1, test)} == {dict_sentence}
    ch4 = graded("dict_local_grads", "ch4")
    assert {(label, problem) for label, problem, _ in read(ch4, "backward")} <= {
        (f"hidden case: backward on a random graph of {n} nodes", "wrong grads after backward()") for n in range(3, 16)}
    assert ch4.score == 20  # 12 of 18 cases: the six random graphs each have a node using one child twice


def test_an_answer_the_check_cannot_read_is_the_graders_fault_for_that_case_alone(monkeypatch, tmp_path, caplog):
    from coursekit.grading.checks import CHECKS
    from coursekit.grading.checks.values import Values

    class Misreading(Values):  # a kind of check that cannot read some answers of the right shape
        name = "misreading"

        def compare(self, spec, case, expected, got, close):
            if got.data[got.outputs[0]] < 0:
                raise KeyError("sign")
            return super().compare(spec, case, expected, got, close)

    monkeypatch.setitem(CHECKS, "misreading", Misreading())
    (tmp_path / "rubric.toml").write_text('[tests.mul]\npoints = 10\ncheck = "misreading"\ntarget = "Value(a) * Value(b)"\n'
                                          'examples = ["Value(2.0) * Value(-3.0)", "Value(2.0) * Value(3.0)"]\n')
    report = grade_plan(STYLES / "list_local_grads.py", plan_run(tmp_path))
    assert read(report, "mul") == [("Value(2.0) * Value(-3.0)", "the grader could not judge this case (a fault in the "
                                    "grader, not in your code); your instructor has the details", "")]
    assert report.tests[0].passed == 1  # the other case is judged as usual
    (record,) = [record for record in caplog.records if record.name == "coursekit.grading.judgement"]
    assert record.getMessage() == "[tests.mul] Value(2.0) * Value(-3.0) could not be judged: a fault in the grader"
    assert record.exc_info[0] is KeyError


def test_an_instructor_grading_a_class_of_these_styles_reads_the_same_rows_and_sentences_twice(tmp_path):
    """`coursekit grade --class --feedback`, as a subprocess, twice: the same totals (children in a set
    included), and each student's feedback page says what their style got wrong."""
    import csv
    import subprocess
    import sys

    coursekit = Path(sys.executable).with_name("coursekit")
    students = {"set_children": "25", "float_subclass": "43.72", "op_name_parameter": "50", "top_level_print": "50"}
    for style in students:
        (tmp_path / "class" / style).mkdir(parents=True)
        (tmp_path / "class" / style / "value.py").write_text(style_source(style))
    rows = []
    for run in (1, 2):
        done = subprocess.run([coursekit, "grade", "--class", "class", "--tests", str(HIDDEN_TESTS), "--assignment", "ch2",
                               "-o", f"run{run}.csv", "--feedback", f"feedback{run}", "--no-similarity"],
                              cwd=tmp_path, capture_output=True, text=True, timeout=600)  # a hang guard
        assert done.returncode == 0, done.stderr
        with open(tmp_path / f"run{run}.csv", newline="") as file:
            rows.append({row["student"]: (row["total"], row["error"]) for row in csv.DictReader(file)})
    assert rows[0] == rows[1] == {student: (total, "") for student, total in students.items()}
    feedback = (tmp_path / "feedback1" / "float_subclass.md").read_text()
    assert "4 - Value(1.5): Value has no __rsub__ method of its own, so int - Value (a plain number on the left) used " \
           "float's, which returns a plain float: define __rsub__(self, other)" in feedback
    assert "a Value keeps its 2 children in a set" in (tmp_path / "feedback1" / "set_children.md").read_text()


def test_a_function_of_a_missing_notebook_is_said_to_be_missing_with_it(graded):
    """value.py alone, graded on ch2: softplus lives in the chapter's notebook, which was not handed in."""
    report = graded("list_local_grads", "ch2")
    assert {problem for _, problem, _ in read(report, "softplus")} == {
        "softplus is not defined: the submission has no notebook ch2-more-operations.ipynb"}
    assert report.notes == ("the submission has no notebook ch2-more-operations.ipynb",)
