"""Similarity review: nearly identical submissions are flagged in the gradebook and shown side by
side in an HTML report; a flag never changes a score."""

import csv
import re
import shutil

from click.testing import CliRunner
from grading_helpers import EXERCISE, REPO, SOLUTION

from coursekit.cli import main
from coursekit.grading.similarity import REFERENCE, flags, reference_engine, similar_pairs

SKELETON = (EXERCISE / "value.py").read_text()
# A student's own, differently written engine: shares the skeleton and little else.
OWN = SKELETON.replace("raise NotImplementedError", "return self._own_op()").replace(
    "class Value:", "def helper(xs):\n    total = 0\n    for x in xs:\n        total = total + x * 2\n    return total\n\n\nclass Value:")


def test_copies_of_each_other_and_of_the_reference_engine_are_flagged():
    sources = {"ada": SOLUTION, "ben": SOLUTION.replace("other", "that"), "fay": reference_engine(), "own": OWN}
    pairs = similar_pairs(sources, {REFERENCE: reference_engine()}, SKELETON)
    found = {(pair.first, pair.second) for pair in pairs}
    assert ("ada", "ben") in found  # renaming variables does not hide a copy
    assert ("fay", REFERENCE) in found
    marks = flags(pairs)
    assert "own" not in marks and marks["fay"] == f"{REFERENCE} 100%" and marks["ada"].startswith("ben 100%")


def test_one_students_pairs_are_those_of_the_whole_class_that_name_them():
    sources = {"ada": SOLUTION, "ben": SOLUTION.replace("other", "that"), "fay": reference_engine(), "own": OWN}
    numbers = lambda pairs: [(p.first, p.second, p.first_share, p.second_share) for p in pairs]  # noqa: E731
    everyone = similar_pairs(sources, {REFERENCE: reference_engine()}, SKELETON)
    assert {name for pair in everyone for name in (pair.first, pair.second)} >= {"ada", "ben", "fay"}
    for student in sources:
        theirs = similar_pairs(sources, {REFERENCE: reference_engine()}, SKELETON, of=student)
        assert numbers(theirs) == numbers(pair for pair in everyone if student in (pair.first, pair.second))
        assert flags(theirs).get(student) == flags(everyone).get(student)


def test_the_given_skeleton_alone_or_a_few_stock_lines_are_not_similarity():
    assert similar_pairs({"a": SKELETON, "b": SKELETON}, {}, SKELETON) == []
    one_op = SKELETON.replace("raise NotImplementedError", "return Value(self.data + other.data, (self, other), (1, 1))", 1)
    assert one_op != SKELETON and similar_pairs({"a": one_op, "b": one_op}, {}, SKELETON) == []


def test_without_copydetect_the_class_is_graded_and_a_note_says_how_to_install_it(tmp_path, tiny_tests, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *args: None if name == "copydetect" else real(name, *args))
    (tmp_path / "ada.py").write_text(SOLUTION)
    (tmp_path / "ben.py").write_text(SOLUTION)
    result = CliRunner().invoke(main, ["grade", "--class", str(tmp_path), "-o", str(tmp_path / "out" / "g.csv"),
                                       "--tests", str(tiny_tests)])
    assert result.exit_code == 0 and "pip install 'coursekit-autodiff[instructor]'" in result.stderr
    assert "graded 2" in result.stdout and not (tmp_path / "out" / "g-similarity.html").exists()


def test_the_gradebook_flags_without_changing_scores(tmp_path, tiny_tests, monkeypatch):
    root = tmp_path / "submissions"
    root.mkdir()
    (root / "ada.py").write_text(SOLUTION)
    (root / "ben.py").write_text(SOLUTION)
    shutil.copy(REPO / "coursekit" / "engine.py", root / "fay.py")  # the copy the grader alone cannot see
    (root / "own.py").write_text(OWN)
    monkeypatch.chdir(REPO)  # the course folder: exercises/value.py is the skeleton
    gradebook = tmp_path / "gradebook.csv"
    result = CliRunner().invoke(main, ["grade", "--class", str(root), "-o", str(gradebook), "--tests", str(tiny_tests)])
    assert result.exit_code == 0, result.output
    assert "3 students flagged for review" in result.stdout
    with open(gradebook, newline="") as file:
        rows = {row["student"]: row for row in csv.DictReader(file)}
    assert rows["fay"]["total"] == "100" and rows["fay"]["similar_to"] == f"{REFERENCE} 100%"
    assert rows["ada"]["similar_to"] == "ben 100%" and rows["own"]["similar_to"] == ""
    report = (tmp_path / "gradebook-similarity.html").read_text()
    assert re.search(r"<td>.*fay.*</td><td>coursekit&#x27;s reference engine</td>", report)
    assert '<span class="same">' in report and "http" not in report  # self-contained
    off = CliRunner().invoke(main, ["grade", "--class", str(root), "-o", str(gradebook), "--tests", str(tiny_tests),
                                    "--no-similarity"])
    assert off.exit_code == 0 and "flagged" not in off.stdout
    with open(gradebook, newline="") as file:
        assert all(row["similar_to"] == "" for row in csv.DictReader(file))


def test_the_chapter_notebook_everyone_was_given_is_not_similarity(tmp_path, monkeypatch):
    """ch5 is graded from value.py and the chapter's notebook: the notebook's given code is the skeleton too."""
    root = tmp_path / "submissions"
    notebook = "ch5-a-tiny-network.ipynb"
    for name, value in (("ada", SOLUTION), ("own", OWN)):
        (root / name).mkdir(parents=True)
        (root / name / "value.py").write_text(value)
        shutil.copy(REPO / "exercises" / notebook, root / name / notebook)  # handed in untouched
    monkeypatch.chdir(REPO)  # the course folder: exercises/ is what everyone started from
    gradebook = tmp_path / "gradebook.csv"
    result = CliRunner().invoke(main, ["grade", "--class", str(root), "-o", str(gradebook),
                                       "--tests", str(REPO / "autograder"), "--assignment", "ch5"])
    assert result.exit_code == 0, result.output
    with open(gradebook, newline="") as file:
        assert {row["student"]: row["similar_to"] for row in csv.DictReader(file)} == {"ada": "", "own": ""}
