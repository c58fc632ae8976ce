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

from coursekit.assignment import generate
from coursekit.assignment.release import build_wheel, release
from coursekit.assignment.run import run_notebook

ROOT = Path(__file__).parents[1]


def best_of(repeat, action):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def main():
    scratch = Path(tempfile.mkdtemp())
    try:
        rows = [("copy solutions/ (baseline)", best_of(5, lambda: shutil.copytree(
                    ROOT / "solutions", scratch / "copy", dirs_exist_ok=True))),
                ("coursekit assign (in memory)", best_of(5, lambda: generate(ROOT / "solutions")))]
        start = time.perf_counter()
        wheel = build_wheel(scratch)
        rows.append(("build the coursekit wheel", time.perf_counter() - start))
        rows.append(("coursekit release (prebuilt wheel)", best_of(3, lambda: release(ROOT, scratch / "dist", wheel))))

        empty = scratch / "empty.ipynb"
        nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]), empty)
        rows.append(("empty notebook in a kernel (baseline)", best_of(1, lambda: run_notebook(empty))))
        for chapter in sorted((ROOT / "solutions").glob("ch*.ipynb")):
            rows.append((f"{chapter.name} in a kernel", best_of(1, lambda: run_notebook(chapter))))
    finally:
        shutil.rmtree(scratch)
    width = max(len(name) for name, _ in rows)
    print(f"{'step':{width}}  {'seconds':>8}")
    for name, seconds in rows:
        print(f"{name:{width}}  {seconds:8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
