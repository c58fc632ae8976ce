"""The worked example of docs/contributing.md: a new kind of check, `zero_grad`, added as the page
says (one module, one registry line) and run on real submissions, from the code on the page."""

import re
import textwrap

import pytest
from grading_helpers import REPO, solution_with

from coursekit.grading import RubricError, grade
from coursekit.grading.checks import CHECKS
from coursekit.grading.report import failure_lines

PAGE = (REPO / "docs" / "contributing.md").read_text(encoding="utf-8")
RESETS_EVERY_NODE = """
    order, seen, stack = [], set(), [self]
    while stack:
        node = stack.pop()
        if id(node) not in seen:
            seen.add(id(node))
            order.append(node)
            stack.extend(node._children)
    for node in order:
        node.grad = 0
"""


def block(language, containing):
    """The code block of the page in `language` that holds `containing`."""
    (found,) = [code for code in re.findall(rf"```{language}\n(.*?)```", PAGE, re.S) if containing in code]
    return found


def with_zero_grad(body):
    """The course solution with a zero_grad method whose body is `body`."""
    method = "\n    def zero_grad(self):\n" + textwrap.indent(textwrap.dedent(body).strip("\n"), " " * 8) + "\n"
    return solution_with().replace("\n    def backward(self):", method + "\n    def backward(self):")


@pytest.fixture
def zero_grad_tests(tmp_path, monkeypatch):
    """The page's module, registered with the page's line, and the page's rubric."""
    module = {}
    exec(compile(block("python", "class ZeroGrad"), "zero_grad.py", "exec"), module)
    registry = block("python", "CHECKS = ")
    assert registry.replace(", ZeroGrad()", "") in (REPO / "coursekit" / "grading" / "checks" / "__init__.py").read_text()
    monkeypatch.setitem(CHECKS, "zero_grad", module["ZeroGrad"]())
    folder = tmp_path / "zero"
    folder.mkdir()
    (folder / "rubric.toml").write_text(block("toml", 'check = "zero_grad"'))
    return folder


def grade_source(tmp_path, source, tests):
    student = tmp_path / "student"
    student.mkdir(exist_ok=True)
    (student / "value.py").write_text(source)
    return grade(student, tests)


def test_a_zero_grad_that_resets_every_node_gets_full_marks(tmp_path, zero_grad_tests):
    report = grade_source(tmp_path, with_zero_grad(RESETS_EVERY_NODE), zero_grad_tests)
    assert (report.score, report.max_score, report.error) == (5.0, 5.0, None)


def test_a_zero_grad_that_resets_only_the_output_is_told_so(tmp_path, zero_grad_tests):
    report = grade_source(tmp_path, with_zero_grad("self.grad = 0"), zero_grad_tests)
    (test,) = report.tests
    assert (test.passed, test.total) == (0, 3)
    assert failure_lines(test)[0] == ("zero_grad() after backward() on the graph 'single': "
                                      "grads after zero_grad(): expected (0, 0, 0), got (-3, 2, 0)")
    assert failure_lines(test)[0].split(": ", 1)[1] in PAGE.replace("\n", " ")


def test_a_class_without_zero_grad_reads_its_own_error(tmp_path, zero_grad_tests):
    report = grade_source(tmp_path, solution_with(), zero_grad_tests)
    (test,) = report.tests
    assert test.score == 0
    assert {outcome.problem for outcome in test.failures} == {"AttributeError: 'Value' object has no attribute 'zero_grad'"}


def test_a_rubric_asking_for_a_graph_the_check_cannot_build_names_it(tmp_path, zero_grad_tests):
    (zero_grad_tests / "rubric.toml").write_text(block("toml", 'check = "zero_grad"').replace('"twice"]', '"chain"]'))
    with pytest.raises(RubricError) as refused:
        grade_source(tmp_path, solution_with(), zero_grad_tests)
    assert str(refused.value).endswith(
        "[tests.zero_grad] examples must be a list of graphs among ['diamond', 'lonely', 'order', 'single', 'twice']")
