"""A small real class: submission folders made from the course's value.py, a roster and a course file."""

import os
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SOLUTION = (REPO / "solutions" / "value.py").read_text()
EXERCISE = (REPO / "exercises" / "value.py").read_text()
# ch1 grades + and *: a mul that forgets its local gradients' order loses the mul points
WRONG_MUL = re.sub(r"\(other\.data, self\.data\)\)", "(self.data, other.data))", SOLUTION)

ROSTER = """sis_id,name,email,section
s001,Ada Lovelace,ada@uni.edu,A
s002,Alan Turing,alan.turing@uni.edu,A
s003,Grace Hopper,grace@uni.edu,B
s004,Edsger Dijkstra,edsger@uni.edu,B
"""

COURSE = """title = "Autodiff, autumn 2026"
roster = "roster.csv"
timezone = "Europe/Berlin"
letters = {{ A = 90, B = 80, C = 70, D = 60, F = 0 }}

[roster_columns]
id = "sis_id"

[assignments.ch1]
weight = 40
gradebook = "ch1.csv"
deadline = "2026-10-02 23:59"
grace_minutes = 15
penalty_per_day = 10
max_penalty = 50
extensions = {{ s002 = 2 }}

[assignments.ch2]
weight = 60
gradebook = "{ch2}"
"""

CH1_DEADLINE = datetime(2026, 10, 2, 21, 59, tzinfo=timezone.utc)  # 23:59 in Berlin (summer time)


def handed_in(path, when):
    """Set every file's modification time: the fallback timestamp of a submission."""
    stamp = when.timestamp()
    for file in [path, *path.rglob("*")]:
        os.utime(file, (stamp, stamp))


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

