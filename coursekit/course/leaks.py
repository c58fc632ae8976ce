"""What must never reach a student, and a check that a set of files holds none of it.

Forbidden: every line that exists in the instructor's material only inside a solution region,
only inside a hidden-test region, or only in the hidden tests folder (`autograder/`). A line
that also appears in what students legitimately get (a signature, `return out`) is not a secret.
"""

import json
from pathlib import PurePosixPath

from coursekit.course.layout import CourseLayout
from coursekit.course.markers import find_regions

SECRET_FOLDERS = CourseLayout().secret_folders


def text_lines(name, data):
    """The meaningful lines of a file: cell sources for a notebook, the text otherwise."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return []
    if name.endswith(".ipynb"):
        try:
            text = "\n".join(_source(cell) for cell in json.loads(text).get("cells", []))
        except (ValueError, AttributeError):
            pass
    return [line.strip() for line in text.splitlines() if line.strip()]


def secret_lines(solution_files, hidden_test_files, public_test_files):
    """Lines only the instructor may see. Each argument maps a file name to its bytes.

    A line inside a region (markers included) is secret unless the same line also appears
    outside every region somewhere in the solutions; a line of the hidden tests is secret unless
    the public tests have it too.
    """
    inside, outside = set(), set()
    for name, data in solution_files.items():
        lines = text_lines(name, data)
        covered = {index for region in find_regions("\n".join(lines), name)
                   for index in range(region.begin, region.end + 1)}
        for index, line in enumerate(lines):
            (inside if index in covered else outside).add(line)
    hidden = {line for name, data in hidden_test_files.items() for line in text_lines(name, data)}
    public = {line for name, data in public_test_files.items() for line in text_lines(name, data)}
    return {line for line in (inside - outside) | (hidden - public - outside) if _telling(line)}


def find_leaks(files, secrets):
    """["name: what leaked", ...] for every secret folder path or secret line among `files`."""
    leaks = []
    for name, data in sorted(files.items()):
        if any(part in SECRET_FOLDERS for part in PurePosixPath(name).parts[:-1]):
            leaks.append(f"{name}: a file from an instructor-only folder")
        leaked = [line for line in text_lines(name, data) if line in secrets]
        if leaked:
            leaks.append(f"{name}: holds instructor-only text, e.g. {leaked[0]!r}")
    return leaks


def _telling(line):
    """Long enough to say something: `]`, `else:` or `pass` in a student file proves nothing."""
    return len(line) >= 6 and any(character.isalnum() for character in line)


def _source(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source
