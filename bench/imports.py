"""Import cost: what `import coursekit` and each command pay before doing any work.

Each statement runs in a fresh interpreter (`python -X importtime -c ...`), best of several runs;
the baseline is the interpreter alone. The last column lists the heavy libraries the statement
pulled in: `import coursekit` and the grader must pull in none of the drawing ones.

Run: `make bench` or `python bench/imports.py`.
"""

import re
import subprocess
import sys

RUNS = 9
HEAVY = ("graphviz", "IPython", "rich", "nbformat", "matplotlib", "numpy", "click")
STATEMENTS = [
    ("python -c pass (baseline)", "pass"),
    ("import coursekit", "import coursekit"),
    ("coursekit's CLI (coursekit --help)", "import coursekit.cli"),
    ("what `coursekit grade` loads", "import coursekit.cli, coursekit.grading, coursekit.grading.report"),
    ("what %load_ext coursekit loads", "import coursekit.tracing.magics"),
    ("graphviz alone (for scale)", "import graphviz"),
    ("IPython alone (for scale)", "import IPython"),
]


def import_profile(statement):
    """(microseconds spent importing, the heavy top-level packages imported) for one run."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", statement], capture_output=True, text=True, check=True)
    total, loaded = 0, set()
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)", line)
        if not match:
            continue
        self_us, cumulative_us, indent, name = match.groups()
        if not indent:  # a top-level import: its cumulative time covers everything below it
            total += int(cumulative_us)
        loaded.add(name.split(".")[0])
    return total, sorted(loaded & set(HEAVY))


def main():
    rows = []
    for label, statement in STATEMENTS:
        runs = [import_profile(statement) for _ in range(RUNS)]
        rows.append((label, min(us for us, _ in runs) / 1000, runs[0][1]))
    width = max(len(label) for label, _, _ in rows)
    print(f"{'statement':<{width}}  {'ms':>7}  heavy libraries imported")
    for label, ms, heavy in rows:
        print(f"{label:<{width}}  {ms:>7.1f}  {', '.join(heavy) or '-'}")


if __name__ == "__main__":
    main()
