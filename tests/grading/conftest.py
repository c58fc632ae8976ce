"""Fixtures for the autograder's tests: student folders and small rubrics written to disk."""

import pytest
from grading_helpers import BOUNDARY_RUBRIC, TINY_RUBRIC


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
    folder = tmp_path_factory.mktemp(name)
    (folder / "rubric.toml").write_text(text)
    return folder


@pytest.fixture(scope="session")
def tiny_tests(tmp_path_factory):
    return _rubric_dir(tmp_path_factory, "tiny", TINY_RUBRIC.format(case_seconds=20))


@pytest.fixture(scope="session")
def quick_timeout_tests(tmp_path_factory):
    """The tiny rubric with a 2 s limit per case, for submissions that never finish."""
    return _rubric_dir(tmp_path_factory, "quick", TINY_RUBRIC.format(case_seconds=2))


@pytest.fixture(scope="session")
def boundary_tests(tmp_path_factory):
    return _rubric_dir(tmp_path_factory, "boundaries", BOUNDARY_RUBRIC)
