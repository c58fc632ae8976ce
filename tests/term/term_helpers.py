"""A small real class for the term's tests: the course's value.py, right and wrong, a roster and a course file."""

import os
import re
from datetime import datetime, timezone
from pathlib import Path

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
