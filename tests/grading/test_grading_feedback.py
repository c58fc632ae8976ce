"""`coursekit grade --class DIR --feedback OUT`: one HTML page (with pictures) and one Markdown file
per student, saying what `coursekit check` says, with the student's own graph of a failing gradient."""

import csv
import html
import re
import shutil
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner
from grading_helpers import EXERCISE, SOLUTION, solution_with

from coursekit.cli import main
from coursekit.grading import grade_plan, plan_run
from coursekit.grading.pictures import graph_svg
from coursekit.grading.report import failure_lines

SWAPPED_MUL = solution_with(__mul__="""
    other = other if isinstance(other, Value) else Value(other)
    return Value(self.data * other.data, (self, other), (self.data, other.data))
""")
NO_ACCUMULATION = solution_with(backward="""
    order, seen, stack = [], set(), [(self, False)]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in node._children)
    self.grad = 1
    for node in reversed(order):
        for child, local in zip(node._children, node._local_grads):
            child.grad = local * node.grad
""")


@pytest.fixture
def class_with_mistakes(tmp_path):
    root = tmp_path / "submissions"
    for name, source in {"ada": SOLUTION, "mo": SWAPPED_MUL, "bea": NO_ACCUMULATION}.items():
        (root / name).mkdir(parents=True)
        (root / name / "value.py").write_text(source)
    shutil.copytree(EXERCISE, root / "untouched")
    (root / "empty").mkdir()
    return root


def grade_into(root, tmp_path, tiny_tests, *extra):
    result = CliRunner().invoke(main, ["grade", "--class", str(root), "-o", str(tmp_path / "gradebook.csv"), "--tests",
                                       str(tiny_tests), "--seed", "1", "--feedback", str(tmp_path / "feedback"), *extra])
    assert result.exit_code == 0, result.output
    return tmp_path / "feedback"


def svgs(page):
    return [ET.fromstring(svg) for svg in re.findall(r"<svg[ >].*?</svg>", page, flags=re.S)]


def red_texts(svg):
    """The text of every element drawn in the 'wrong' red, and of the groups around red shapes."""
    found = []
    for group in svg.iter("{http://www.w3.org/2000/svg}g"):
        if any(child.get("stroke") == "#d32f2f" or child.get("fill") == "#d32f2f" for child in group):
            found.append(" ".join(text.text or "" for text in group.iter("{http://www.w3.org/2000/svg}text")))
    return found


def test_feedback_files_for_every_student(class_with_mistakes, tmp_path, tiny_tests):
    feedback = grade_into(class_with_mistakes, tmp_path, tiny_tests)
    assert sorted(path.name for path in feedback.iterdir()) == sorted(
        f"{name}.{suffix}" for name in ("ada", "bea", "empty", "mo", "untouched") for suffix in ("html", "md"))
    assert "Total: 100 / 100" in (feedback / "ada.md").read_text() and not svgs((feedback / "ada.html").read_text())
    empty = (feedback / "empty.md").read_text()
    assert "the submission has none of the files to submit (value.py); it had: nothing" in empty and "every test scores 0" in empty
    assert "not implemented yet" in (feedback / "untouched.md").read_text()


def test_a_wrong_local_gradient_is_drawn_in_red_with_the_expected_number(class_with_mistakes, tmp_path, tiny_tests):
    feedback = grade_into(class_with_mistakes, tmp_path, tiny_tests)
    page = (feedback / "mo.html").read_text()
    markdown = (feedback / "mo.md").read_text()
    assert "Total: 65 / 100" in markdown
    assert "Value(2.0) * Value(-3.0): local gradients: expected (-3, 2), got (2, -3)" in markdown
    assert "hint: mul&#x27;s local gradients" in page
    pictures = svgs(page)
    assert len(pictures) == 4  # mul, and neg, sub and div, which are built on it
    marked = " ".join(red_texts(pictures[0]))
    assert "expected local 2" in marked and "expected local -3" in marked
    assert "grad 2, expected -3" in marked and "a * b" not in marked  # the result itself is right


def test_a_backward_that_overwrites_marks_the_node_that_lost_a_path(class_with_mistakes, tmp_path, tiny_tests):
    feedback = grade_into(class_with_mistakes, tmp_path, tiny_tests)
    page = (feedback / "bea.html").read_text()
    assert "backward on a node used by two others (the diamond)" in page and "expected (5, 1, 1, 1), got (3, 1, 1, 1)" in page
    (picture,) = svgs(page)
    assert any("expected" in text for text in red_texts(picture))


def test_the_feedback_text_is_what_check_and_gradescope_say(tiny_tests, tmp_path):
    (tmp_path / "mo").mkdir()
    (tmp_path / "mo" / "value.py").write_text(SWAPPED_MUL)
    plan = plan_run(tiny_tests, 1)
    report = grade_plan(tmp_path / "mo", plan)
    grade_into(tmp_path, tmp_path / "out", tiny_tests)
    markdown = (tmp_path / "out" / "feedback" / "mo.md").read_text()
    check = CliRunner().invoke(main, ["check", str(tmp_path / "mo")]).stdout
    for test in report.tests:
        for line in failure_lines(test):
            assert line in markdown
    assert "hint: mul's local gradients" in markdown
    # the public tests (check) hold no known mistakes, so no hint; the failing case reads the same
    mul_failure = "Value(2.0) * Value(-3.0): local gradients: expected (-3, 2), got (2, -3)"
    assert mul_failure in check and mul_failure in markdown


def test_pictures_are_drawn_from_the_childs_numbers_only_for_visible_cases(tiny_tests, tmp_path, boundary_tests):
    (tmp_path / "mo").mkdir()
    (tmp_path / "mo" / "value.py").write_text(SWAPPED_MUL)
    hidden = tmp_path / "hidden"
    hidden.mkdir()
    (hidden / "rubric.toml").write_text((boundary_tests / "rubric.toml").read_text())
    report = grade_plan(tmp_path / "mo", plan_run(hidden, 1))
    mul = next(test for test in report.tests if test.name == "mul")
    assert mul.failures and all(not outcome.public and outcome.picture is None for outcome in mul.failures)  # hidden
    report = grade_plan(tmp_path / "mo", plan_run(tiny_tests, 1))
    (mul_graph,) = [outcome.picture for test in report.tests if test.name == "mul" for outcome in test.failures]
    assert mul_graph.data == (2.0, -3.0, -6.0) and mul_graph.local_grads[-1] == (2.0, -3.0)
    assert mul_graph.wrong_edges == {(2, 0): -3.0, (2, 1): 2.0}
    assert graph_svg(mul_graph).startswith("<svg")


def test_the_installed_command_writes_feedback(run_coursekit, class_with_mistakes, tmp_path, tiny_tests):
    done = run_coursekit("grade", "--class", str(class_with_mistakes), "-o", str(tmp_path / "g.csv"), "--tests",
                         str(tiny_tests), "--feedback", str(tmp_path / "fb"))
    assert done.returncode == 0, done.stderr
    assert "one .html and one .md per student" in done.stdout
    assert len(svgs((tmp_path / "fb" / "mo.html").read_text())) == 4


def test_missing_feedback_is_written_on_a_rerun(class_with_mistakes, tmp_path, tiny_tests):
    feedback = grade_into(class_with_mistakes, tmp_path, tiny_tests)
    (feedback / "mo.html").unlink()
    result = CliRunner().invoke(main, ["grade", "--class", str(class_with_mistakes), "-o", str(tmp_path / "gradebook.csv"),
                                       "--tests", str(tiny_tests), "--seed", "1", "--feedback", str(feedback)])
    assert "graded 2, skipped 3 unchanged" in result.stdout  # mo (feedback missing) and empty (an error row)
    assert (feedback / "mo.html").is_file()


def test_the_feedback_names_each_file_that_was_not_graded_and_why(tmp_path, tiny_tests):
    root = tmp_path / "submissions"
    alice = {"course/value.py": SOLUTION, "course/Value (1).py": "an older copy that does not even parse(",
             "course/ch3-the-nudge-test.ipynb": (EXERCISE / "ch3-the-nudge-test.ipynb").read_text(),
             "scratch/try.py": "print('trying')\n", "notes.txt": "not code"}
    for name, text in {**{f"alice/{path}": text for path, text in alice.items()}, "ada/value.py": SOLUTION}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    feedback = grade_into(root, tmp_path, tiny_tests, "--no-similarity")
    why = [("course/Value (1).py", "another copy of value.py (course/value.py was graded)"),
           ("course/ch3-the-nudge-test.ipynb", "not a file this assignment grades"),
           ("scratch/try.py", "not in value.py's folder (course/), the only one its modules are taken from")]
    markdown = (feedback / "alice.md").read_text()
    assert "Total: 100 / 100" in markdown  # what was graded is graded as ever
    assert markdown.endswith("\n\n**Files not graded:**\n\n" + "".join(f"- `{name}`: {reason}\n" for name, reason in why))
    page = (feedback / "alice.html").read_text()
    items = "".join(f"<li><code>{html.escape(name)}</code>: {html.escape(reason)}</li>" for name, reason in why)
    assert f"<p>Files not graded:</p><ul>{items}</ul>" in page
    assert "not graded" not in (feedback / "ada.md").read_text() + (feedback / "ada.html").read_text()
    with open(tmp_path / "gradebook.csv", newline="") as file:
        rows = {row["student"]: row for row in csv.DictReader(file)}
    assert rows["alice"]["ignored_files"] == "; ".join(name for name, _ in why) and rows["ada"]["ignored_files"] == ""


def test_grading_the_same_class_twice_writes_the_same_pages(class_with_mistakes, tmp_path, tiny_tests):
    """A regrade that changed nothing changes no file: a student's page is byte for byte the same,
    and each of its pictures' zoom boxes has an id of its own."""
    first = grade_into(class_with_mistakes, tmp_path / "first", tiny_tests)
    second = grade_into(class_with_mistakes, tmp_path / "second", tiny_tests)
    for page in sorted(first.iterdir()):
        assert page.read_bytes() == (second / page.name).read_bytes(), page.name
    ids = re.findall(r'<div class="ck-view" id="([^"]+)"', (first / "mo.html").read_text())
    assert len(ids) == len(set(ids)) == 4
