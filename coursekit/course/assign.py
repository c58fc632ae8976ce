"""`coursekit assign`: the student version of a course folder, generated from the solutions.

The whole output is computed in memory first, so a malformed marker anywhere stops the run
before a single file is written; then each file that changed is replaced atomically.
"""

from dataclasses import dataclass, field
from pathlib import Path

from coursekit.course.layout import CourseLayout
from coursekit.course.markers import strip_hidden_tests, strip_solutions
from coursekit.course.notebooks import assign_notebook
from coursekit.files import write_atomically

# Editor and interpreter leftovers that are never course material.
IGNORED_NAMES = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache", ".DS_Store"}


class AssignError(ValueError):
    """Bad usage of assign (missing folder, output inside the input)."""


@dataclass
class AssignReport:
    written: list = field(default_factory=list)    # relative paths whose content changed
    unchanged: list = field(default_factory=list)  # relative paths already up to date
    stale: list = field(default_factory=list)      # files in the target that the source no longer makes


def assign_source(text, where):
    """The student version of a Python file."""
    return strip_solutions(strip_hidden_tests(text, where), where)


def assign_file(path, where):
    """The student version of one file, as bytes: .py and .ipynb are transformed, the rest copied."""
    if path.suffix == ".py":
        return assign_source(_read_text(path, where), where).encode("utf-8")
    if path.suffix == ".ipynb":
        return assign_notebook(_read_text(path, where), where).encode("utf-8")
    return path.read_bytes()


def course_files(folder):
    """Relative paths of the course files under `folder`, sorted (skipping caches and dotfiles)."""
    folder = Path(folder)
    return sorted(
        path.relative_to(folder)
        for path in folder.rglob("*")
        if path.is_file() and not any(part in IGNORED_NAMES or part.startswith(".")
                                      for part in path.relative_to(folder).parts)
    )


def generate(source_dir):
    """{relative path: student bytes} for every course file of `source_dir`, and the public tests."""
    source_dir = Path(source_dir)
    if not source_dir.is_dir():
        raise AssignError(f"{source_dir}: no such folder (expected the solutions folder)")
    files = {relative: assign_file(source_dir / relative, (source_dir / relative).as_posix())
             for relative in course_files(source_dir)}
    return {**files, **public_tests(source_dir)}


def public_tests(source_dir):
    """public-tests/<assignment>/rubric.toml for each assignment of the autograder/ beside `source_dir`:
    the visible examples of its rubric with their answers frozen in (no hidden case, no reference code)."""
    from coursekit.grading import RubricError
    from coursekit.grading.public import public_rubrics

    autograder = CourseLayout.around(source_dir).autograder
    try:
        rubrics = public_rubrics(autograder)
    except RubricError as error:
        raise AssignError(f"cannot draw the public tests: {error}") from None
    return {Path(CourseLayout.PUBLIC_TESTS, name, "rubric.toml"): text.encode() for name, text in rubrics.items()}


def assign(source_dir=CourseLayout.SOLUTIONS, target_dir=CourseLayout.EXERCISES):
    """Write the student version of `source_dir` into `target_dir`; returns what changed."""
    source_dir, target_dir = Path(source_dir), Path(target_dir)
    _check_not_nested(source_dir, target_dir)
    generated = generate(source_dir)
    report = AssignReport()
    for relative, data in generated.items():
        target = target_dir / relative
        if target.is_file() and target.read_bytes() == data:
            report.unchanged.append(relative)
        else:
            write_atomically(target, data)
            report.written.append(relative)
    if target_dir.is_dir():
        report.stale = [relative for relative in course_files(target_dir) if relative not in generated]
    return report


def out_of_date(source_dir=CourseLayout.SOLUTIONS, target_dir=CourseLayout.EXERCISES):
    """Relative paths where `target_dir` differs from what assign would write (missing, changed or stale)."""
    generated = generate(source_dir)
    target_dir = Path(target_dir)
    existing = set(course_files(target_dir)) if target_dir.is_dir() else set()
    differ = [relative for relative, data in generated.items()
              if relative not in existing or (target_dir / relative).read_bytes() != data]
    return sorted(differ + [relative for relative in existing if relative not in generated])


def _read_text(path, where):
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise AssignError(f"{where}: not UTF-8 text (byte {error.start})") from None


def _check_not_nested(source_dir, target_dir):
    source, target = source_dir.resolve(), target_dir.resolve()
    if source == target or source in target.parents or target in source.parents:
        raise AssignError(f"{target_dir} and {source_dir} must be separate folders (neither inside the other)")
