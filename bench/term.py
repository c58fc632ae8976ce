"""Running a term: what the roster, the late policy and the class report add to `grade --class`,
and how long the mutation score of each chapter takes.

Workloads: the synthetic class of 200 of bench/grading.py graded on one assignment with the
installed `coursekit grade --class` (every student graded again each run), as it is and with
`--course` (a roster of the 200 and a late policy, submissions around the deadline) and `--report`
(the HTML with its plots), alternated so that both meet the same machine; and
`coursekit assign --validate --mutants --no-notebooks --assignment chN` for each chapter.
Targets: the roster, late policy and report within 10% of the plain run; every chapter's mutants
< 60 s on 2 cores.

Run: `make bench` or `python bench/term.py`.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from grading import CLASS_SIZE, COURSEKIT, REPO, TESTS, synthetic_class  # noqa: E402

ASSIGNMENT = "ch2"   # value.py and a notebook: the common kind of chapter
ROUNDS = 3
DEADLINE = 1790985540  # 2026-10-02 23:59 UTC
COURSE = f"""roster = "roster.csv"
[assignments.{ASSIGNMENT}]
gradebook = "{ASSIGNMENT}.csv"
deadline = 2026-10-02T23:59:00Z
grace_minutes = 10
penalty_per_day = 10
max_penalty = 50
extensions = {{ s0007 = 2 }}
"""


def term_files(root, students):
    """A roster naming every student, the course file, and hand-in times from 2 days early to 3 late."""
    lines = ["id,name,email,section"]
    for number, path in enumerate(students):
        lines.append(f"s{number:04d},Student {number},{path.stem}@uni.edu,{'AB'[number % 2]}")
        when = DEADLINE + (number % 6 - 2) * 86400
        for file in [path, *path.rglob("*")]:
            os.utime(file, (when, when))
    (root / "roster.csv").write_text("\n".join(lines) + "\n")
    (root / "course.toml").write_text(COURSE)


def wall(command):
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode in (0, 1), done.stderr
    return time.perf_counter() - started


def main():
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        (root / "class").mkdir()
        synthetic_class(root / "class", CLASS_SIZE)
        term_files(root, sorted((root / "class").iterdir()))
        grade = [str(COURSEKIT), "grade", "--class", str(root / "class"), "--tests", str(TESTS), "--assignment",
                 ASSIGNMENT, "--force", "--no-similarity", "-j", "2"]
        plain, term = [], []
        for _ in range(ROUNDS):
            plain.append(wall([*grade, "-o", str(root / "plain.csv")]))
            term.append(wall([*grade, "-o", str(root / f"{ASSIGNMENT}.csv"), "--course", str(root / "course.toml"),
                              "--report", str(root / "report.html")]))
        plain, term = statistics.median(plain), statistics.median(term)
        rows.append((f"grade --class, {CLASS_SIZE} students, {ASSIGNMENT} (baseline)", plain, f"median of {ROUNDS}"))
        rows.append(("  with --course (roster, late policy) and --report", term,
                     f"{100 * (term / plain - 1):+.1f}% (target within +10%)"))
        report = wall([str(COURSEKIT), "report", str(root / f"{ASSIGNMENT}.csv"), "-o", str(root / "again.html")])
        rows.append(("  coursekit report alone (its own process)", report, ""))
    for name in ("ch1", "ch2", "ch3", "ch4", "ch5", "ch6"):
        seconds = wall([str(COURSEKIT), "assign", "--validate", "--mutants", "--no-notebooks", "--assignment", name])
        rows.append((f"assign --validate --mutants --assignment {name}", seconds, "target < 60 s"))

    width = max(len(row[0]) for row in rows)
    print(f"{'workload':<{width}}  {'seconds':>8}  note")
    for name, seconds, note in rows:
        print(f"{name:<{width}}  {seconds:8.3f}  {note}")


if __name__ == "__main__":
    os.chdir(REPO)
    main()
