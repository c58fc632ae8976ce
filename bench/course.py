"""The course pipeline: how long an instructor and a student wait.

* `coursekit assign` over the whole course, against copying the same folder (the floor: reading
  and writing the files) as the baseline.
* `coursekit release` with a prebuilt wheel, and building that wheel.
* Every solutions notebook in a fresh kernel, against an empty notebook in a fresh kernel (the
  baseline: kernel start-up, which every notebook pays).
"""

import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from engine import best_time  # bench/engine.py, beside this script

from coursekit.course.assign import generate
from coursekit.course.kernel import run_notebook
from coursekit.course.release import release
from coursekit.course.wheels import build_wheel


def wall_time(fn, rounds):
    """Wall seconds: kernels and the wheel build run in other processes."""
    return best_time(fn, rounds, clock=time.perf_counter)


ROOT = Path(__file__).parents[1]


def main():
    scratch = Path(tempfile.mkdtemp())
    try:
        rows = [("copy solutions/ (baseline)", wall_time(lambda: shutil.copytree(
                    ROOT / "solutions", scratch / "copy", dirs_exist_ok=True), 5)),
                ("coursekit assign (in memory)", wall_time(lambda: generate(ROOT / "solutions"), 5))]
        wheels = []
        rows.append(("build the coursekit wheel", wall_time(lambda: wheels.append(build_wheel(scratch)), 1)))
        wheel = wheels[0]
        rows.append(("coursekit release (prebuilt wheel)", wall_time(lambda: release(ROOT, scratch / "dist", wheel), 3)))

        empty = scratch / "empty.ipynb"
        nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]), empty)
        rows.append(("empty notebook in a kernel (baseline)", wall_time(lambda: run_notebook(empty), 1)))
        for chapter in sorted((ROOT / "solutions").glob("ch*.ipynb")):
            rows.append((f"{chapter.name} in a kernel", wall_time(lambda chapter=chapter: run_notebook(chapter), 1)))
    finally:
        shutil.rmtree(scratch)
    width = max(len(name) for name, _ in rows)
    print(f"{'step':{width}}  {'seconds':>8}")
    for name, seconds in rows:
        print(f"{name:{width}}  {seconds:8.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
