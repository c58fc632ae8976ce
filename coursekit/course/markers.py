"""Solution and hidden-test regions: find them, check them, strip them.

The markers are nbgrader's, so instructors already know them:

    ### BEGIN SOLUTION          ### BEGIN HIDDEN TESTS
    ...reference answer...      ...tests students never see...
    ### END SOLUTION            ### END HIDDEN TESTS

A marker is a line that holds only the marker (any indentation). Every function here works on
plain text and takes `where` ("solutions/value.py" or "solutions/ch1.ipynb, cell 4") so that an
error names the file and the line.
"""

from dataclasses import dataclass

SOLUTION = "SOLUTION"
HIDDEN_TESTS = "HIDDEN TESTS"
KINDS = (SOLUTION, HIDDEN_TESTS)

CODE_PLACEHOLDER = ("# YOUR CODE HERE", "raise NotImplementedError()")
ANSWER_PLACEHOLDER = ("YOUR ANSWER HERE",)


class MarkerError(ValueError):
    """A region marker is malformed; the message names the file and the line."""

    def __init__(self, where, line, message):
        super().__init__(f"{where}, line {line}: {message}")
        self.where = where
        self.line = line


@dataclass(frozen=True)
class Region:
    kind: str    # SOLUTION or HIDDEN_TESTS
    begin: int   # index of the BEGIN marker line
    end: int     # index of the END marker line
    indent: str  # the BEGIN marker's indentation, reused by the placeholder


def begin_marker(kind):
    return f"### BEGIN {kind}"


def end_marker(kind):
    return f"### END {kind}"


def _marker(line, where, number):
    """(is_begin, kind) when the line is a marker, else None.

    A near miss (`### BEGIN SOLUTIONS`, `### END SOLUTION:`) is an error rather than text: read as
    text it would hand the answer to the students.
    """
    stripped = line.strip()
    for kind in KINDS:
        if stripped == begin_marker(kind):
            return True, kind
        if stripped == end_marker(kind):
            return False, kind
    if stripped.startswith(("### BEGIN", "### END")):
        known = ", ".join(f"'{marker(kind)}'" for kind in KINDS for marker in (begin_marker, end_marker))
        raise MarkerError(where, number, f"'{stripped}' is not a marker; the markers are {known}, alone on their line")
    return None


def find_regions(text, where):
    """Every region of `text` in order; raises MarkerError on a missing, stray or nested marker."""
    regions = []
    open_kind = open_line = None
    lines = text.splitlines()
    for index, line in enumerate(lines):
        marker = _marker(line, where, index + 1)
        if marker is None:
            continue
        is_begin, kind = marker
        if is_begin and open_kind:
            raise MarkerError(where, index + 1, f"'{begin_marker(kind)}' is nested inside the "
                              f"'{begin_marker(open_kind)}' of line {open_line + 1}; close that one first")
        if is_begin:
            open_kind, open_line = kind, index
        elif open_kind is None:
            raise MarkerError(where, index + 1, f"'{end_marker(kind)}' has no '{begin_marker(kind)}' before it")
        elif kind != open_kind:
            raise MarkerError(where, index + 1, f"'{end_marker(kind)}' closes the "
                              f"'{begin_marker(open_kind)}' of line {open_line + 1}; expected '{end_marker(open_kind)}'")
        else:
            begin_line = lines[open_line]
            indent = begin_line[: len(begin_line) - len(begin_line.lstrip())]
            regions.append(Region(kind, open_line, index, indent))
            open_kind = None
    if open_kind:
        raise MarkerError(where, open_line + 1, f"'{begin_marker(open_kind)}' has no matching '{end_marker(open_kind)}'")
    return regions


def _replace_regions(text, where, kind, replacement):
    """`text` with every region of `kind` (markers included) replaced by replacement(region, newline)."""
    lines = text.splitlines(keepends=True)
    out = []
    done = 0
    for region in find_regions(text, where):
        if region.kind != kind:
            continue
        out += lines[done : region.begin]
        end_line = lines[region.end]
        newline = end_line[len(end_line.rstrip("\r\n")) :]
        out.append(replacement(region, newline))
        done = region.end + 1
    out += lines[done:]
    return "".join(out)


def strip_hidden_tests(text, where):
    """Remove every hidden-test region, markers and all (a text that ended without a newline still does)."""
    stripped = _replace_regions(text, where, HIDDEN_TESTS, lambda region, newline: "")
    if stripped != text and not text.endswith("\n"):
        stripped = stripped.removesuffix("\n").removesuffix("\r")
    return stripped


def strip_solutions(text, where, placeholder=CODE_PLACEHOLDER):
    """Replace every solution region by the placeholder lines, at the BEGIN marker's indentation."""

    def stub(region, newline):
        return (newline or "\n").join(region.indent + line for line in placeholder) + newline

    return _replace_regions(text, where, SOLUTION, stub)


def region_bodies(text, where, kind):
    """The lines strictly inside each region of `kind` (what must never reach students)."""
    lines = text.splitlines()
    return [lines[r.begin + 1 : r.end] for r in find_regions(text, where) if r.kind == kind]
