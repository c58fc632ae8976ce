"""The rubric file: what it accepts, and the message (file, line, test) for each kind of mistake in it."""

import pytest
from grading_helpers import EXERCISE, HIDDEN_TESTS, REPO, without_fixed_cases

from coursekit.grading import RubricError, find_assignments, grade, plan_run
from coursekit.grading.cases import draw_plan
from coursekit.grading.rubric import load_rubric

CH1 = (HIDDEN_TESTS / "ch1" / "rubric.toml").read_text()
CH2 = (HIDDEN_TESTS / "ch2" / "rubric.toml").read_text()
CH4 = (HIDDEN_TESTS / "ch4" / "rubric.toml").read_text()


def rubric_dir(tmp_path, text):
    (tmp_path / "rubric.toml").write_text(text)
    return tmp_path


@pytest.mark.parametrize("text, change, message", [
    (CH1, lambda t: t + "\n[grading]\nx = 1\n", "unknown key(s) or section(s) ['grading']"),
    (CH1, lambda t: t.replace("case_seconds = 5", "case_seconds = -1"), "[limits] case_seconds must be a positive number"),
    (CH1, lambda t: t.replace("case_seconds = 5", "case_second = 5"), "[limits] has an unknown key 'case_second'"),
    (CH1, lambda t: t.replace("seed = 1101", ""), "needs `seed = N`"),
    (CH1, lambda t: t + "[oops", "not valid TOML"),
])
def test_mistakes_in_the_whole_file_are_rubric_errors(text, change, message, tmp_path):
    changed = change(text)
    assert changed != text
    with pytest.raises(RubricError) as error:
        load_rubric(rubric_dir(tmp_path, changed))
    assert message in str(error.value) and "rubric.toml" in str(error.value)


@pytest.mark.parametrize("text, test, change, message", [
    (CH2, "log", lambda t: t.replace("[tests.log]\npoints = 5", "[tests.log]\npoints = 'five'"), "needs points"),
    (CH2, "exp", lambda t: t.replace("check = \"local_grads\"\ncases = 6\na = [-5.0, 5.0]\nexamples = [\"Value(1.0).exp()\"",
                                     "check = \"local_grads\"\ncases = 2.5\na = [-5.0, 5.0]\nexamples = [\"Value(1.0).exp()\""), "cases must be a whole number"),
    (CH2, "relu", lambda t: t.replace("cases = 6\na = [-5.0, 5.0]\nexamples = [\"Value(3.0)", "cases = 6\na = [5.0, -5.0]\nexamples = [\"Value(3.0)"), "a must be [low, high]"),
    (CH2, "div", lambda t: t.replace("b = [[-5.0, -0.5], [0.5, 5.0]]", ""), "needs the domain(s) ['b']"),
    (CH2, "neg", lambda t: t.replace('examples = ["-Value(2.0)"', 'examples = ["Value(2) + 1"'), "is not an instance of the target (-Value(a))"),
    (CH2, "neg", lambda t: t.replace('examples = ["-Value(2.0)"', 'examples = ["-Value(x)"'), "is not an instance"),
    (CH2, "neg", lambda t: t.replace('target = "-Value(a)"', 'target = "-Value(a"'), "is not Python"),
    (CH2, "log", lambda t: t.replace('"Value(1.0).log()", "Value(50.0).log()"', '"Value(-1.0).log()"'), "the reference raised ValueError"),
    (CH2, "log", lambda t: t.replace("a = [0.01, 100.0]", "a = [-5.0, -1.0]"), "no input in its domains that the reference accepts"),
    (CH2, "sub", lambda t: t.replace("[tests.sub]\npoints = 10", "[tests.sub]\npoints = 10\nweight = 2"), "unknown key(s) ['weight']"),
    (CH2, "pow", lambda t: t.replace('code = """\nclass Value(Value):\n    def __pow__(self, n):\n        return Value(self.data ** n, (self,), (self.data ** (n - 1),))',
                                     'code = """\nclass Value(Value:\n    def __pow__(self, n):\n        return Value(self.data ** n, (self,), (self.data ** (n - 1),))'),
     "is not Python"),
    (CH4, "backward", lambda t: t.replace('examples = ["single"', 'examples = ["star"'), "'star' is not one of the graphs"),
    (CH4, "backward", lambda t: without_fixed_cases(t.replace("cases = 6\nnodes = [3, 15]\nlocal = [-2.0, 2.0]\n", ""), "backward"),
     "has no cases"),
])
def test_a_mistake_in_one_test_is_named_by_file_line_and_test_and_refuses_the_rubric(text, test, change, message, tmp_path,
                                                                                    monkeypatch):
    changed = change(text)
    assert changed != text
    folder = rubric_dir(tmp_path, changed)
    for path in [*(HIDDEN_TESTS / "ch2").glob("*.py"), *(HIDDEN_TESTS / "ch4").glob("*.py")]:
        (folder / path.name).write_text(path.read_text())
    monkeypatch.chdir(tmp_path)
    plan = draw_plan(load_rubric(folder))
    assert [spec.name for spec in (t.spec for t in plan.tests) if spec.problem] == [test], plan.problems
    (problem,) = plan.problems
    assert message in problem and problem.startswith("rubric.toml:") and f": [tests.{test}] " in problem
    with pytest.raises(RubricError) as refused:  # never graded without it: max_total would shrink
        grade(REPO / "solutions", folder)
    assert str(refused.value) == problem


def test_the_line_of_a_broken_key_is_named(tmp_path):
    changed = CH2.replace("[tests.sub]\npoints = 10", "[tests.sub]\npoints = 10\nweight = 2")
    line = changed.splitlines().index("weight = 2") + 1
    plan = draw_plan(load_rubric(rubric_dir(tmp_path, changed)))
    assert f"rubric.toml:{line}: [tests.sub]" in next(t.spec.problem for t in plan.tests if t.spec.name == "sub")


def test_a_folder_without_a_rubric_is_named(tmp_path):
    with pytest.raises(RubricError, match="no rubric.toml here or in its subfolders"):
        plan_run(tmp_path)


def test_the_course_rubrics_load_and_the_public_ones_hold_only_examples_with_answers():
    for name, folder in find_assignments(HIDDEN_TESTS).items():
        hidden = load_rubric(folder)
        public = load_rubric(EXERCISE / "public-tests" / name)
        assert not hidden.problems and not public.problems
        assert all(test.examples and not test.cases and not test.boundaries for test in public.tests)
        # known mistakes travel as their answers on the examples, never as code
        assert all(mistake.answers and not mistake.code for test in public.tests for mistake in test.mistakes)
        assert all(case.expected for test in public.tests for case in test.examples)
        assert {test.name for test in public.tests} <= {test.name for test in hidden.tests}
        assert all(case.public for test in plan_run(public.folder).tests for case in test.cases)


def test_public_tests_hold_no_hidden_case_nor_reference_code():
    for name, folder in find_assignments(HIDDEN_TESTS).items():
        public = (EXERCISE / "public-tests" / name / "rubric.toml").read_text()
        assert "class Value(Value)" not in public and "def " not in public  # no mistake, no reference code
        hidden_labels = [case.label for test in plan_run(folder).tests for case in test.cases if not case.public]
        assert hidden_labels and "hidden case" not in public


def test_public_answers_keep_the_reference_graph_private():
    """A composite output is frozen as one node over the inputs: the reference's inner nodes are not shipped."""
    softmax = next(t for t in plan_run(EXERCISE / "public-tests" / "ch6").tests if t.spec.name == "softmax")
    expected = softmax.cases[0].expected
    assert len(expected.data) == 3 + 1 + 3  # three inputs, one private leaf, three outputs
    hidden = next(t for t in plan_run(HIDDEN_TESTS / "ch6").tests if t.spec.name == "softmax").cases[0].expected
    assert len(hidden.data) > 10 and hidden.outputs != expected.outputs


def test_examples_are_read_like_student_code():
    plan = plan_run(HIDDEN_TESTS / "ch1")
    add = next(test for test in plan.tests if test.spec.name == "add")
    reflected = next(case for case in add.cases if case.label == "3 + Value(0.5)")
    assert reflected.request.target == "a + b" and reflected.request.inputs == [["a", False, 3], ["b", True, 0.5]]
    same = next(case for case in add.cases if case.target.text == "Value(a) + Value(a)")
    assert same.request.inputs == [["a", True, 2.5]]


def test_domains_unions_choices_and_lists(tmp_path):
    text = CH2.replace("cases = 8\na = [0.1, 5.0]", "cases = 30\na = {choices = [2.0]}")
    assert text != CH2
    (tmp_path / "softplus.py").write_text((HIDDEN_TESTS / "ch2" / "softplus.py").read_text())
    plan = plan_run(rubric_dir(tmp_path, text))
    pow_cases = [case for test in plan.tests if test.spec.name == "pow" for case in test.cases][-30:]
    assert {case.request.inputs[0][2] for case in pow_cases} == {2.0}
    divisors = [case.request.inputs[1][2] for test in plan.tests if test.spec.name == "div" for case in test.cases
                if case.request.inputs[1][0] == "b"]
    assert divisors and all(0.5 <= abs(b) <= 5.0 for b in divisors)
    softmax = next(t for t in plan_run(HIDDEN_TESTS / "ch6").tests if t.spec.name == "softmax")
    sizes = {len(case.request.inputs[0][2]) for case in softmax.cases}
    assert sizes <= set(range(1, 7)) and len(sizes) > 1


def test_a_test_switched_off_or_worth_nothing_gives_no_error_and_no_red_row(tmp_path):
    text = CH1.replace("[tests.add]\npoints = 10", "[tests.add]\nenabled = false\npoints = 10").replace(
        "[tests.mul]\npoints = 10", "[tests.mul]\npoints = 0")
    report = grade(EXERCISE, rubric_dir(tmp_path, text))
    assert [test.name for test in report.tests] == ["mul"]
    assert report.tests[0].max_score == 0 and not report.tests[0].problem
    from coursekit.grading.report import format_report
    text = format_report(report, "text", color=True)
    assert "practice" in text and "0/0" not in text and "\x1b[31m" not in text.split("Total")[0]


def test_an_unknown_target_is_reported_at_once_not_redrawn(tmp_path):
    text = without_fixed_cases(CH1.replace('target = ["Value(a) * Value(b)"', 'target = ["Value(a).times(Value(b))"'), "mul")
    plan = draw_plan(load_rubric(rubric_dir(tmp_path, text)))
    mul = next(t for t in plan.tests if t.spec.name == "mul")
    assert "the reference raised AttributeError" in mul.spec.problem and "'times'" in mul.spec.problem
    assert mul.rejected == 0
