"""Fixtures for the term's tests: a course folder with a roster, a course file and a class of four."""

from datetime import timedelta

import pytest
from term_helpers import CH1_DEADLINE, COURSE, REPO, ROSTER, SOLUTION, WRONG_MUL, handed_in


@pytest.fixture
def term(tmp_path):
    """A course folder: roster, course.toml and a class of four submissions to ch1.

    ada (full marks, on time), Alan_Turing (by name; 1 day late, within his extension),
    grace@uni.edu (by email; wrong mul, 2 days late), mallory (on no roster); Edsger hands in nothing.
    """
    (tmp_path / "roster.csv").write_text(ROSTER)
    (tmp_path / "course.toml").write_text(COURSE.format(ch2="ch2-shard*.csv"))
    submissions = tmp_path / "submissions"
    late = {"ada": (SOLUTION, 0), "Alan_Turing": (SOLUTION, 1), "grace@uni.edu": (WRONG_MUL, 2), "mallory": (SOLUTION, 0)}
    for name, (source, days) in late.items():
        folder = submissions / name
        folder.mkdir(parents=True)
        (folder / "value.py").write_text(source)
        handed_in(folder, CH1_DEADLINE - timedelta(hours=1) + timedelta(days=days))
    return tmp_path


@pytest.fixture
def ch1_tests():
    return REPO / "autograder" / "ch1"

