"""The picture of a failing case as a student reads it: the inputs named as the test names them,
the wrong output and wrong gradients in red beside what was expected, the ops named as %%trace
names them, inside %%trace's zoomable view."""

import html
import re
from pathlib import Path

import pytest

from coursekit.grading import grade_plan, plan_run
from coursekit.grading.feedback import feedback_html, pictures_html
from coursekit.grading.grade_report import GradeReport
from coursekit.grading.judgement import CaseOutcome
from coursekit.grading.pictures import graph_svg
from coursekit.grading.score import TestResult as ScoredTest  # not a pytest class
from coursekit.tracing.digraph import MARKED

REPO = Path(__file__).resolve().parents[2]
FORGETS_BIAS = REPO / "tests" / "grading" / "golden" / "submissions" / "notebook_ch5"  # a Neuron without its bias


@pytest.fixture(scope="module")
def report():
    return grade_plan(FORGETS_BIAS, plan_run(REPO / "autograder" / "ch5"))


def records(svg):
    """{fields of a value record: is it drawn in red}."""
    groups = re.findall(r'<g id="v\d+" class="node">(.*?)</g>', svg, re.S)
    return {tuple(html.unescape(t) for t in re.findall(r"<text[^>]*>(.*?)</text>", g)): MARKED in g for g in groups}


def neuron_picture(report):
    [neuron] = [test for test in report.tests if test.name == "neuron"]
    return next(outcome.picture for outcome in neuron.failures if outcome.picture is not None)  # the first example's


def test_the_inputs_are_named_as_the_test_names_them(report):
    drawn = records(graph_svg(neuron_picture(report)))
    # the example: xs = [0.5, -1.0, 2.0], and the parameters set from weights = [0.3, -0.2, 0.1, 0.05]
    assert {("xs[0]", "data 0.5", "grad 0.3"), ("xs[1]", "data -1", "grad -0.2"), ("xs[2]", "data 2", "grad 0.1"),
            ("weights[0]", "data 0.3", "grad 0.5"), ("weights[1]", "data -0.2", "grad -1"),
            ("weights[2]", "data 0.1", "grad 2")} <= set(drawn)


def test_the_wrong_output_is_red_with_the_expected_number_beside_it(report):
    drawn = records(graph_svg(neuron_picture(report)))
    # relu(0.3·0.5 - 0.2·-1 + 0.1·2 + 0.05) = 0.6 with the bias; 0.55 without it
    assert [fields for fields, red in drawn.items() if red] == [("neuron(xs)", "data 0.55, expected 0.6", "grad 1")]


def test_the_ops_are_named_as_trace_names_them_and_unnamed_values_by_their_expression(report):
    svg = html.unescape(graph_svg(neuron_picture(report)))
    assert ">relu</text>" in svg and svg.count(">*</text>") == 3
    assert ">weights[0]*xs[0]</text>" in svg


def test_pages_and_check_show_it_in_the_zoomable_view_with_its_svg_inline(report):
    for page in (feedback_html("ada", report), pictures_html(report)):
        assert 'class="ck-view"' in page and "data-ck-readable-scale" in page and "ckView(" in page
        assert re.search(r'<div class="ck-scroll"[^>]*><svg ', page)


def test_a_long_case_is_cut_on_the_page_with_the_whole_case_on_hover():
    label = ("[param.data for param in params] + [param.grad for param in params] + m + v where p = [1.0, -2.0], "
             "grads = [0.5, -3.0], m = [0.0, 0.0], v = [0.0, 0.0], t = 1, lr = 0.01, and a few more words of it")
    outcome = CaseOutcome("adam_step", label, True, False, "data: expected (1, 2), got (1, 3)")
    test = ScoredTest("adam_step", 0, 10, 0, 1, "visible", (outcome,))
    report = GradeReport("ada", "ch6", 1, None, (test,), 0, 10, None, (), {}, 0.1, "rubric.toml")
    page = feedback_html("ada", report)
    assert f'<code title="{html.escape(label)}">{html.escape(label[:119])}…</code>' in page
