"""Autograder benchmark: one submission end to end, a synthetic class of 200 students, and a hang.

Every chapter is graded (six assignments: value.py's operations and backward, and the functions of
the chapter notebooks). Baselines in the same run: the bare start of a Python process (the floor
under any sandbox that starts one), and the class graded with one worker instead of two.
Targets: one submission < 1 s wall (the `coursekit grade` command, every chapter's hidden tests,
10^5-node chain included); 200 submissions with -j 2 < 60 s; a submission with an infinite loop in
one operation graded on value.py's chapters in < 3 x the case limit + the normal time. The
similarity review of the class is timed apart.

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

from coursekit.grading import find_assignments, grade_plan, plan_run
from coursekit.grading.classroom import find_students, grade_class, read_gradebook, read_submission, review_similarity

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


def course_folder(folder, value_source, notebooks="solutions"):
    """A student's folder: value.py and the six chapter notebooks (solved or untouched)."""
    shutil.copytree(REPO / notebooks, folder, ignore=shutil.ignore_patterns("value.py", "public-tests", "*.md"))
    (folder / "value.py").write_text(value_source)


def synthetic_class(root, size):
    """Mostly complete work, some unfinished, some wrong, a few notebooks and a few broken files."""
    kinds = [
        ("solution", lambda folder: course_folder(folder, SOLUTION)),
        ("exercise", lambda folder: course_folder(folder, (REPO / "exercises" / "value.py").read_text(), "exercises")),
        ("wrong_mul", lambda folder: course_folder(folder, mutant(
            "__mul__", "return Value(self.data * other.data, (self, other), (self.data, other.data))"))),
        ("relu_at_zero", lambda folder: course_folder(folder, mutant(
            "relu", "return Value(max(0, self.data), (self,), (float(self.data >= 0),))"))),
        ("syntax_error", lambda folder: course_folder(folder, "class Value(:\n")),
    ]
    for i in range(size):
        name, write = kinds[i % len(kinds)] if i % 10 else ("notebook", None)
        if write is None:
            notebook = nbformat.v4.new_notebook()
            notebook.cells = [nbformat.v4.new_code_cell(SOLUTION), nbformat.v4.new_code_cell("%%trace\nValue(1.0) * 2")]
            nbformat.write(notebook, root / f"student{i:03d}.ipynb")
            continue
        write(root / f"student{i:03d}")


def grade_every_chapter(students, scratch, jobs):
    """The class on every assignment, one gradebook each; the wall time of them all."""
    started = time.perf_counter()
    for name, tests in find_assignments(TESTS).items():
        grade_class(students, scratch / f"{students.name}-{name}.csv", tests, jobs, False)
        assert len(read_gradebook(scratch / f"{students.name}-{name}.csv")) == len(list(students.iterdir()))
    return time.perf_counter() - started


def grade_all(folder, plans):
    reports = [grade_plan(folder, plan) for plan in plans]
    return sum(r.score for r in reports), sum(r.max_score for r in reports)


def main():
    rows = []
    rows.append(("python -c pass (process start, baseline)", wall([sys.executable, "-c", "pass"], 5), ""))
    grade_command = [str(COURSEKIT), "grade", str(REPO / "solutions"), "--tests", str(TESTS)]
    rows.append(("coursekit grade solutions/ (every chapter, CLI)", wall(grade_command), "target < 1 s"))
    plan_seconds, plans = timed(lambda: [plan_run(tests) for tests in find_assignments(TESTS).values()])
    cases = sum(len(plan.requests()) for plan in plans)
    rows.append((f"  draw the cases ({cases}, incl. the 10^5 chain)", plan_seconds, "once per run"))
    seconds, (score, most) = timed(grade_all, REPO / "solutions", plans)
    rows.append(("  grade one submission, 6 assignments", seconds, f"score {score:g}/{most:g}"))
    seconds, (score, most) = timed(grade_all, REPO / "exercises", plans)
    rows.append(("  grade the untouched exercises", seconds, f"score {score:g}/{most:g}"))

    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        (scratch / "class").mkdir()
        synthetic_class(scratch / "class", CLASS_SIZE)
        students = sorted((scratch / "class").iterdir())
        (scratch / "serial").mkdir()
        for path in students[:SERIAL_SIZE]:
            (shutil.copytree if path.is_dir() else shutil.copy)(path, scratch / "serial" / path.name)
        serial = grade_every_chapter(scratch / "serial", scratch, 1)
        rows.append((f"class of {SERIAL_SIZE}, -j 1 (baseline)", serial, f"{serial / SERIAL_SIZE:.2f} s/student"))
        parallel = grade_every_chapter(scratch / "class", scratch, 2)
        rows.append((f"class of {CLASS_SIZE}, -j 2", parallel, f"{parallel / CLASS_SIZE:.2f} s/student, target < 60 s"))
        speedup = (serial / SERIAL_SIZE) / (parallel / CLASS_SIZE)
        skeleton = (REPO / "exercises" / "value.py").read_text()
        loaded = {name: read_submission(path, "value.py") for name, path in find_students(scratch / "class").items()}
        review, _ = timed(review_similarity, loaded, {}, scratch / "similarity.html", skeleton)
        rows.append((f"similarity review of the {CLASS_SIZE}", review, "most are copies of one solution: the worst case"))

        hang = scratch / "hang"
        course_folder(hang, mutant("__add__", "while True:\n            pass"))
        value_plans = [plan for plan in plans if plan.rubric.name in ("ch1", "ch2", "ch4")]
        limit = value_plans[0].rubric.limits.case_seconds
        normal, _ = timed(grade_all, REPO / "solutions", value_plans)
        seconds, (score, most) = timed(grade_all, hang, value_plans)
        rows.append(("value.py chapters, solution (normal time)", normal, ""))
        rows.append(("value.py chapters, an infinite loop in __add__", seconds,
                     f"target < {3 * limit + normal:.1f} s; score {score:g}/{most:g} (add, sub, softplus lost)"))

    width = max(len(row[0]) for row in rows)
    print(f"{'workload':<{width}}  {'seconds':>8}  note")
    for name, seconds, note in rows:
        print(f"{name:<{width}}  {seconds:>8.3f}  {note}".rstrip())
    print(f"speed-up of -j 2 over -j 1 per student: {speedup:.2f}x")


if __name__ == "__main__":
    main()
