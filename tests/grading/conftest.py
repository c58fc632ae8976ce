"""Fixtures for the autograder's tests: student folders and small rubrics written to disk."""

import shutil

import pytest
from grading_helpers import HIDDEN_TESTS, VALUE_ASSIGNMENTS, only_boundaries, only_examples, value_rubric


@pytest.fixture
def make_submission(tmp_path):
    """make_submission(source) -> a student folder holding value.py."""

    def make(source, name="student"):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "value.py").write_bytes(source.encode() if isinstance(source, str) else source)
        return folder

    return make


def _rubric_dir(tmp_path_factory, name, text):
    """An assignment folder: the rubric, and the reference code of the chapters it draws from."""
    folder = tmp_path_factory.mktemp(name)
    (folder / "rubric.toml").write_text(text)
    for assignment in VALUE_ASSIGNMENTS:
        for code in (HIDDEN_TESTS / assignment).glob("*.py"):
            shutil.copy(code, folder / code.name)
    return folder


def _tiny(case_seconds):
    limits = {"case_seconds": case_seconds, "submission_seconds": 60, "memory_mb": 512, "output_kb": 4}
    return value_rubric(limits, examples=only_examples)


@pytest.fixture(scope="session")
def tiny_tests(tmp_path_factory):
    return _rubric_dir(tmp_path_factory, "tiny", _tiny(20))


@pytest.fixture(scope="session")
def quick_timeout_tests(tmp_path_factory):
    """The tiny rubric with a 2 s limit per case, for submissions that never finish."""
    return _rubric_dir(tmp_path_factory, "quick", _tiny(2))


@pytest.fixture(scope="session")
def boundary_tests(tmp_path_factory):
    """Every boundary case of every op, no random ones, and a chain a recursive walk cannot climb."""
    return _rubric_dir(tmp_path_factory, "boundaries", value_rubric({"case_seconds": 20}, boundaries=only_boundaries))
