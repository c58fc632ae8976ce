"""What must never reach a student, and a check that a set of files holds none of it.

Forbidden: every line of the instructor's material inside a solution region or a hidden-test
region, and every line of the hidden tests folder (`autograder/`) that the public tests lack.
A line that the solutions also hold as code outside every region (a signature, `return out`, a
worked example) is what students legitimately get, so it is not a secret; the same line in prose
(a markdown cell, a notes file) proves nothing, since that is exactly where a pasted answer
hides. Lines the course shows on purpose are listed in the solutions' `.assign.toml` (`shown`).

The search covers everything a student could read: every file whatever its kind, a notebook's
markdown and code cells and its outputs; and a secret counts wherever it appears in a line (an
answer quoted in a sentence of a markdown cell, or inside a JSON string of an output).
"""

import json
from pathlib import PurePosixPath

from coursekit.course.layout import CourseLayout
from coursekit.course.markers import find_regions

SECRET_FOLDERS = CourseLayout().secret_folders
BINARY_OUTPUTS = ("image/png", "image/jpeg", "image/gif")  # base64: no line of text hides in them
SHOWN_PER_FILE = 3


CODE, PROSE, OUTPUT = "code", "prose", "output"


def readable_parts(name, data):
    """[(place, kind, text)]: what a reader sees in a file, piece by piece.

    A notebook gives each cell's source ("cell 4", CODE or PROSE) and each output's text ("cell 4,
    output 1", OUTPUT); a .py file is one piece of CODE, any other text file one of PROSE (place "");
    a binary file has none.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return []
    if name.endswith(".ipynb"):
        try:
            cells = json.loads(text)["cells"]
            return [part for number, cell in enumerate(cells, 1) for part in _cell_parts(number, cell)]
        except (ValueError, KeyError, TypeError, AttributeError):
            pass  # not a notebook after all: read it as text
    return [("", CODE if name.endswith(".py") else PROSE, text)]


def text_lines(name, data):
    """[(where, stripped line)] for every non-blank line of a file, e.g. ("notes.md, line 3", ...)."""
    located = []
    for place, _, text in readable_parts(name, data):
        prefix = f"{name}, {place}" if place else name
        located += [(f"{prefix}, line {number}", line.strip())
                    for number, line in enumerate(text.splitlines(), 1) if line.strip()]
    return located


def secret_lines(solution_files, hidden_test_files, public_test_files, shown=frozenset()):
    """Lines only the instructor may see. The first three arguments map a file name to its bytes.

    A line inside a region (markers included) is secret unless the solutions also hold it as code
    outside every region, or it is `shown`; a line of the hidden tests is secret unless the
    public tests have it too.
    """
    inside, code_outside = set(), set()
    for name, data in solution_files.items():
        for place, kind, text in readable_parts(name, data):
            if kind == OUTPUT:
                continue  # what a solution printed is not a line the instructor wrote
            covered = {index for region in find_regions(text, f"{name}, {place}" if place else name)
                       for index in range(region.begin, region.end + 1)}
            for index, line in enumerate(text.splitlines()):
                if index in covered:
                    inside.add(line.strip())
                elif kind == CODE:
                    code_outside.add(line.strip())
    hidden = _all_lines(hidden_test_files) - _all_lines(public_test_files)
    return {line for line in (inside | hidden) - code_outside - set(shown) if _telling(line)}


def find_leaks(files, secrets):
    """["where: what leaked", ...] for every file from a secret folder and every line holding a secret."""
    leaks, secrets = [], sorted(secrets)
    for name, data in sorted(files.items()):
        if any(part in SECRET_FOLDERS for part in PurePosixPath(name).parts[:-1]):
            leaks.append(f"{name}: a file from an instructor-only folder")
        found = [(where, secret) for where, line in text_lines(name, data)
                 for secret in secrets if secret in line]
        leaks += [f"{where}: instructor-only text {secret!r}" for where, secret in found[:SHOWN_PER_FILE]]
        if len(found) > SHOWN_PER_FILE:
            leaks.append(f"{name}: and {len(found) - SHOWN_PER_FILE} more lines")
    return leaks


def _all_lines(files):
    return {line for name, data in files.items() for _, line in text_lines(name, data)}


def _telling(line):
    """Long enough to say something: `]`, `else:` or `pass` in a student file proves nothing."""
    return len(line) >= 6 and any(character.isalnum() for character in line)


def _cell_parts(number, cell):
    yield f"cell {number}", CODE if cell.get("cell_type") == "code" else PROSE, _joined(cell.get("source", ""))
    for count, output in enumerate(cell.get("outputs", ()), 1):
        texts = [output.get("text", ""), output.get("evalue", ""), output.get("traceback", "")]
        texts += [value for kind, value in output.get("data", {}).items() if kind not in BINARY_OUTPUTS]
        yield f"cell {number}, output {count}", OUTPUT, "\n".join(text for text in map(_joined, texts) if text)


def _joined(text):
    """Notebook JSON stores text as a string or as a list of lines."""
    return "".join(text) if isinstance(text, list) else text if isinstance(text, str) else json.dumps(text)
