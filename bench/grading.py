"""Autograder benchmark: one submission end to end, and a synthetic class of 200 students.

Baselines in the same run: the bare start of a Python process (the floor under any sandbox that
starts one), and the class graded with one worker instead of two.
Targets: one submission < 1 s wall (the `coursekit grade` command, hidden tests, 10^5-node chain
included); 200 submissions with -j 2 < 60 s. The similarity review of the class is timed apart.

Run: `make bench` or `python bench/grading.py`.
"""

import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from coursekit.grading import grade_plan, plan_run
from coursekit.grading.classroom import find_students, grade_class, read_gradebook, review_similarity

REPO = Path(__file__).resolve().parents[1]
SOLUTION = (REPO / "solutions" / "value.py").read_text()
TESTS = REPO / "autograder"
COURSEKIT = Path(sys.executable).with_name("coursekit")
CLASS_SIZE = 200
SERIAL_SIZE = 40


def wall(command, repeat=3):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - started, result


def mutant(method, body):
    pattern = rf"(    def {method}\(.*?\):\n)        ### BEGIN SOLUTION\n.*?        ### END SOLUTION\n"
    return re.sub(pattern, lambda match: match[1] + f"        {body}\n", SOLUTION, flags=re.S)


def synthetic_class(root, size):
    """Mostly complete work, some unfinished, some wrong, a few notebooks and a few broken files."""
    kinds = [
        ("solution", lambda folder: (folder / "value.py").write_text(SOLUTION)),
        ("exercise", lambda folder: shutil.copy(REPO / "exercises" / "value.py", folder / "value.py")),
        ("wrong_mul", lambda folder: (folder / "value.py").write_text(
            mutant("__mul__", "return Value(self.data * other.data, (self, other), (self.data, other.data))"))),
        ("relu_at_zero", lambda folder: (folder / "value.py").write_text(
            mutant("relu", "return Value(max(0, self.data), (self,), (float(self.data >= 0),))"))),
        ("syntax_error", lambda folder: (folder / "value.py").write_text("class Value(:\n")),
    ]
    for i in range(size):
        name, write = kinds[i % len(kinds)] if i % 10 else ("notebook", None)
        if write is None:
            notebook = nbformat.v4.new_notebook()
            notebook.cells = [nbformat.v4.new_code_cell(SOLUTION), nbformat.v4.new_code_cell("%%trace\nValue(1.0) * 2")]
            nbformat.write(notebook, root / f"student{i:03d}.ipynb")
            continue
        folder = root / f"student{i:03d}"
        folder.mkdir()
        write(folder)


def main():
    rows = []
    rows.append(("python -c pass (process start, baseline)", wall([sys.executable, "-c", "pass"], 5), ""))
    grade_command = [str(COURSEKIT), "grade", str(REPO / "solutions"), "--tests", str(TESTS)]
    rows.append(("coursekit grade solutions/ (hidden tests, CLI)", wall(grade_command), "target < 1 s"))
    plan_seconds, plan = timed(plan_run, TESTS, 0)
    rows.append((f"  draw the run's cases ({len(plan.cases)}, incl. the 10^5 chain)", plan_seconds, "once per run"))
    seconds, report = timed(grade_plan, REPO / "solutions", plan)
    rows.append(("  grade one submission (sandbox + compare)", seconds, f"score {report.score:g}"))
    seconds, report = timed(grade_plan, REPO / "exercises", plan)
    rows.append(("  grade the untouched exercise", seconds, f"score {report.score:g}"))

    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        (scratch / "class").mkdir()
        synthetic_class(scratch / "class", CLASS_SIZE)
        students = sorted((scratch / "class").iterdir())
        (scratch / "serial").mkdir()
        for path in students[:SERIAL_SIZE]:
            (shutil.copytree if path.is_dir() else shutil.copy)(path, scratch / "serial" / path.name)
        serial, _ = timed(grade_class, scratch / "serial", scratch / "serial.csv", TESTS, 1, False, 0)
        rows.append((f"class of {SERIAL_SIZE}, -j 1 (baseline)", serial, f"{serial / SERIAL_SIZE:.2f} s/student"))
        parallel, run = timed(grade_class, scratch / "class", scratch / "gradebook.csv", TESTS, 2, False, 0)
        graded = read_gradebook(scratch / "gradebook.csv")
        rows.append((f"class of {CLASS_SIZE}, -j 2", parallel, f"{parallel / CLASS_SIZE:.2f} s/student, target < 60 s"))
        speedup = (serial / SERIAL_SIZE) / (parallel / CLASS_SIZE)
        assert len(graded) == CLASS_SIZE, run
        skeleton = (REPO / "exercises" / "value.py").read_text()
        review, _ = timed(review_similarity, find_students(scratch / "class"), {}, scratch / "similarity.html", skeleton)
        rows.append((f"similarity review of the {CLASS_SIZE}", review, "most are copies of one solution: the worst case"))

    width = max(len(row[0]) for row in rows)
    print(f"{'workload':<{width}}  {'seconds':>8}  note")
    for name, seconds, note in rows:
        print(f"{name:<{width}}  {seconds:>8.3f}  {note}".rstrip())
    print(f"speed-up of -j 2 over -j 1 per student: {speedup:.2f}x")


if __name__ == "__main__":
    main()
