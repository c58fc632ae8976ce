"""`coursekit assign`: the student version of a course folder, generated from the solutions.

A pipeline of small steps: list the course files (leaving out caches and instructor-only files),
generate each student file in memory, write the ones that changed, remove the stale ones. The
whole output is computed first, so a malformed marker anywhere stops the run before a single file
is written; then each file that changed is replaced atomically.
"""

from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path

from coursekit.course.layout import CourseLayout
from coursekit.course.markers import strip_hidden_tests, strip_solutions
from coursekit.course.notebooks import assign_notebook
from coursekit.files import write_atomically

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

# Editor and interpreter leftovers, never course material on either side (dotfiles neither).
IGNORED_NAMES = ("__pycache__", ".ipynb_checkpoints", ".pytest_cache", ".DS_Store", "*.pyc")
# Files of solutions/ that are the instructor's alone. They are excluded from the source only, so
# a copy already in the target is stale and gets removed.
INSTRUCTOR_ONLY = ("TA-notes*", "ta-notes*", "*.instructor.*", "instructor-notes*")
# The course's own settings, in the solutions folder (a dotfile, so never copied):
#   exclude = ["drafts/", "*.tmp"]       more globs that assign leaves out
#   shown = ["child.grad += ..."]         solution lines the course shows students on purpose
CONFIG_FILE = ".assign.toml"
# In the solutions' README.md: replaced by the table of what to submit per assignment (from the rubrics).
SUBMIT_MARKER = "<!-- what to submit -->"


class AssignError(ValueError):
    """Bad usage of assign (missing folder, output inside the input, a bad CONFIG_FILE)."""


@dataclass(frozen=True)
class AssignConfig:
    exclude: tuple = IGNORED_NAMES + INSTRUCTOR_ONLY  # globs of files assign leaves out of the source
    shown: frozenset = frozenset()                     # solution lines the leak check lets through


def read_config(source_dir):
    """The settings in `source_dir`/CONFIG_FILE, added to the defaults."""
    path = Path(source_dir) / CONFIG_FILE
    if not path.is_file():
        return AssignConfig()
    try:
        settings = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise AssignError(f"{path}: not valid TOML ({error})") from None
    unknown = set(settings) - {"exclude", "shown"}
    lists = {key: settings.get(key, []) for key in ("exclude", "shown")}
    bad = [key for key, value in lists.items() if not (isinstance(value, list) and all(isinstance(v, str) for v in value))]
    if unknown or bad:
        raise AssignError(f"{path}: {', '.join(sorted(unknown)) or bad[0]}: expected only `exclude` and `shown`, "
                          "each a list of strings")
    return AssignConfig(AssignConfig.exclude + tuple(pattern.rstrip("/") for pattern in lists["exclude"]),
                        frozenset(line.strip() for line in lists["shown"]))


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


def excluded(relative, patterns):
    """Whether a relative path matches a pattern: by any of its parts (`__pycache__`, `*.pyc`), or
    whole when the pattern has a slash (`notes/draft-*.md`). Dotfiles and dot-folders always are."""
    parts = Path(relative).parts
    return any(part.startswith(".") for part in parts) or any(
        fnmatch(Path(relative).as_posix(), pattern) if "/" in pattern else any(fnmatch(part, pattern) for part in parts)
        for pattern in patterns)


def course_files(folder, patterns=IGNORED_NAMES):
    """Relative paths of the files under `folder` that no pattern excludes, sorted."""
    folder = Path(folder)
    return sorted(relative for relative in (path.relative_to(folder) for path in folder.rglob("*") if path.is_file())
                  if not excluded(relative, patterns))


def generate(source_dir):
    """{relative path: student bytes} for every course file of `source_dir`, and the public tests."""
    source_dir = Path(source_dir)
    if not source_dir.is_dir():
        raise AssignError(f"{source_dir}: no such folder (expected the solutions folder)")
    files = {relative: assign_file(source_dir / relative, (source_dir / relative).as_posix())
             for relative in course_files(source_dir, read_config(source_dir).exclude)}
    if SUBMIT_MARKER.encode() in files.get(Path("README.md"), b""):
        files[Path("README.md")] = files[Path("README.md")].replace(SUBMIT_MARKER.encode(), what_to_submit(source_dir).encode())
    return {**files, **public_tests(source_dir)}


def what_to_submit(source_dir):
    """The table of what a student submits per assignment, from the rubrics beside `source_dir`."""
    from coursekit.grading.finder import submit_table
    from coursekit.grading.rubric import find_assignments, load_rubric

    folders = find_assignments(CourseLayout.around(source_dir).autograder).values()
    return submit_table(load_rubric(folder) for folder in folders)


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


def stale_files(generated, target_dir):
    """Course files in `target_dir` that assign no longer makes (instructor-only files included)."""
    target_dir = Path(target_dir)
    return [relative for relative in course_files(target_dir) if relative not in generated] if target_dir.is_dir() else []


def remove_stale(target_dir, stale):
    """Delete the stale files, then the folders they leave empty."""
    target_dir = Path(target_dir)
    for relative in stale:
        (target_dir / relative).unlink()
    for folder in sorted({parent for relative in stale for parent in Path(relative).parents if parent != Path(".")},
                         key=lambda folder: len(folder.parts), reverse=True):
        if not any((target_dir / folder).iterdir()):
            (target_dir / folder).rmdir()


def assign(source_dir=CourseLayout.SOLUTIONS, target_dir=CourseLayout.EXERCISES, dry_run=False):
    """Write the student version of `source_dir` into `target_dir` and remove stale files there.

    Returns what changed; with `dry_run`, what would change, and nothing is touched. Refuses, before
    writing anything, when a rubric of the autograder/ beside `source_dir` cannot be graded as written
    (coursekit.course.gradable).
    """
    source_dir, target_dir = Path(source_dir), Path(target_dir)
    _check_not_nested(source_dir, target_dir)
    if not dry_run:
        from coursekit.course.gradable import require_gradable

        require_gradable(CourseLayout.around(source_dir).autograder, source_dir)
    generated = generate(source_dir)
    report = AssignReport(stale=stale_files(generated, target_dir))
    for relative, data in generated.items():
        target = target_dir / relative
        if target.is_file() and target.read_bytes() == data:
            report.unchanged.append(relative)
        else:
            report.written.append(relative)
            if not dry_run:
                write_atomically(target, data)
    if not dry_run:
        remove_stale(target_dir, report.stale)
    return report


def out_of_date(source_dir=CourseLayout.SOLUTIONS, target_dir=CourseLayout.EXERCISES):
    """Relative paths where `target_dir` differs from what assign would write (missing, changed or stale)."""
    report = assign(source_dir, target_dir, dry_run=True)
    return sorted(report.written + report.stale)


def _read_text(path, where):
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise AssignError(f"{where}: not UTF-8 text (byte {error.start})") from None


def _check_not_nested(source_dir, target_dir):
    source, target = source_dir.resolve(), target_dir.resolve()
    if source == target or source in target.parents or target in source.parents:
        raise AssignError(f"{target_dir} and {source_dir} must be separate folders (neither inside the other)")
