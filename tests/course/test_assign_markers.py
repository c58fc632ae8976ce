"""The text steps of `coursekit assign`: each one alone, on small sources."""

import pytest

from coursekit.course.markers import MarkerError, region_bodies, strip_hidden_tests, strip_solutions

CLASS_WITH_SOLUTIONS = '''\
class Value:
    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        ### BEGIN SOLUTION
        return Value(self.data + other.data, (self, other), (1, 1))
        ### END SOLUTION

    def relu(self):
        ### BEGIN SOLUTION
        if self.data > 0:
            return Value(self.data, (self,), (1,))
        return Value(0, (self,), (0,))
        ### END SOLUTION
'''


def test_solution_regions_become_the_placeholder_at_the_marker_indentation():
    assert strip_solutions(CLASS_WITH_SOLUTIONS, "value.py") == '''\
class Value:
    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        # YOUR CODE HERE
        raise NotImplementedError()

    def relu(self):
        # YOUR CODE HERE
        raise NotImplementedError()
'''


def test_the_stripped_class_compiles_and_raises_not_implemented():
    namespace = {}
    exec(strip_solutions(CLASS_WITH_SOLUTIONS, "value.py"), namespace)
    with pytest.raises(NotImplementedError):
        namespace["Value"]().relu()


def test_top_level_region_and_a_last_line_without_newline():
    source = "x = 1\n### BEGIN SOLUTION\ny = 2\n### END SOLUTION"
    assert strip_solutions(source, "cell") == "x = 1\n# YOUR CODE HERE\nraise NotImplementedError()"


def test_markdown_placeholder():
    source = "Why?\n\n### BEGIN SOLUTION\nBecause the slope changes.\n### END SOLUTION\n"
    assert strip_solutions(source, "cell", ("YOUR ANSWER HERE",)) == "Why?\n\nYOUR ANSWER HERE\n"


def test_hidden_tests_disappear_with_their_markers_and_nothing_else_changes():
    source = "assert f(1) == 2\n### BEGIN HIDDEN TESTS\nassert f(5) == 10\n### END HIDDEN TESTS\nprint('ok')\n"
    assert strip_hidden_tests(source, "cell") == "assert f(1) == 2\nprint('ok')\n"


def test_each_step_leaves_the_other_kind_of_region_alone():
    source = ("### BEGIN SOLUTION\na = 1\n### END SOLUTION\n"
              "### BEGIN HIDDEN TESTS\nassert a == 1\n### END HIDDEN TESTS\n")
    assert strip_hidden_tests(source, "cell") == "### BEGIN SOLUTION\na = 1\n### END SOLUTION\n"
    assert strip_solutions(source, "cell").startswith("# YOUR CODE HERE\nraise NotImplementedError()\n### BEGIN HIDDEN")


def test_text_without_markers_is_returned_unchanged():
    source = "def f(x):\n    return 2 * x  # ### BEGIN SOLUTION in a comment is not a marker\n"
    assert strip_solutions(strip_hidden_tests(source, "f.py"), "f.py") == source


@pytest.mark.parametrize(
    ("source", "line", "words"),
    [
        ("a\n### BEGIN SOLUTION\nb\n", 2, "has no matching '### END SOLUTION'"),
        ("a\nb\n  ### END SOLUTION\n", 3, "has no '### BEGIN SOLUTION' before it"),
        ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION\n### END SOLUTION\n", 2, "nested"),
        ("### BEGIN SOLUTION\n### BEGIN HIDDEN TESTS\n", 2, "nested"),
        ("### BEGIN SOLUTION\nx\n### END HIDDEN TESTS\n", 3, "expected '### END SOLUTION'"),
    ],
)
def test_malformed_markers_name_the_file_and_the_line(source, line, words):
    for step in (strip_solutions, strip_hidden_tests):
        with pytest.raises(MarkerError) as caught:
            step(source, "solutions/value.py")
        assert str(caught.value).startswith(f"solutions/value.py, line {line}: ")
        assert words in str(caught.value)


def test_region_bodies_are_the_lines_between_the_markers():
    assert region_bodies(CLASS_WITH_SOLUTIONS, "value.py", "SOLUTION")[1] == [
        "        if self.data > 0:",
        "            return Value(self.data, (self,), (1,))",
        "        return Value(0, (self,), (0,))",
    ]


@pytest.mark.parametrize("typo", ["### BEGIN SOLUTIONS", "    ### END SOLUTION:", "### BEGIN HIDDEN TEST"])
def test_a_near_miss_marker_is_an_error_not_text_that_would_reach_students(typo):
    with pytest.raises(MarkerError, match=r"value\.py, line 2: '### (BEGIN|END) .*' is not a marker"):
        strip_solutions(f"x = 1\n{typo}\nanswer = 42\n", "value.py")


def test_windows_line_endings_are_kept():
    source = "a = 1\r\n### BEGIN SOLUTION\r\nb = 2\r\n### END SOLUTION\r\nc = 3\r\n"
    assert strip_solutions(source, "f.py") == "a = 1\r\n# YOUR CODE HERE\r\nraise NotImplementedError()\r\nc = 3\r\n"


def test_hidden_tests_at_the_end_of_a_cell_leave_no_trailing_newline():
    source = "assert f(1) == 2\n### BEGIN HIDDEN TESTS\nassert f(5) == 10\n### END HIDDEN TESTS"
    assert strip_hidden_tests(source, "cell") == "assert f(1) == 2"
