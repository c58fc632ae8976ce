"""The course file (`course.toml`): the roster, and every assignment's weight, gradebook and late policy.

    title = "Autodiff, autumn 2026"
    roster = "roster.csv"               # paths are relative to this file
    timezone = "Europe/Berlin"          # for deadlines written without an offset
    letters = { A = 90, B = 80, C = 70, D = 60, F = 0 }   # optional: lowest percent of each letter

    [roster_columns]                    # optional: the roster's own column names
    id = "sis_id"

    [assignments.ch1]
    weight = 40
    gradebook = "gradebooks/ch1.csv"    # what `grade --class` wrote; a glob joins its shards
    feedback = "feedback/ch1"           # what `grade --class --feedback` wrote (this is the default)
    deadline = "2026-10-02 23:59"
    grace_minutes = 15
    penalty_per_day = 10                # percent of the assignment's points
    max_penalty = 50
    extensions = { s002 = 2 }           # extra days, or a new deadline
"""

from dataclasses import dataclass
from pathlib import Path

from coursekit.term.late import SETTINGS as LATE_SETTINGS
from coursekit.term.late import PolicyError, read_policy, time_zone
from coursekit.term.roster import DEFAULT_COLUMNS

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

TOP_LEVEL = {"title", "roster", "timezone", "letters", "roster_columns", "assignments"}
ASSIGNMENT = {"weight", "gradebook", "feedback", "title"} | LATE_SETTINGS


class CourseError(ValueError):
    """The course file is missing or says something we cannot use."""


@dataclass(frozen=True)
class Assignment:
    name: str
    title: str
    weight: float
    gradebook: str          # a path or a glob, relative to the course folder
    feedback: str           # the folder of its feedback pages, relative to the course folder
    late: object = None     # LatePolicy, or None: no deadline


@dataclass(frozen=True)
class Course:
    title: str
    folder: Path
    roster: Path
    roster_columns: dict
    timezone: str
    letters: tuple          # (letter, lowest percent), highest first; () : percent only
    assignments: dict       # name -> Assignment, in the file's order

    def letter(self, percent):
        return next((letter for letter, lowest in self.letters if percent >= lowest), "")

    def assignment(self, name):
        if name not in self.assignments:
            raise CourseError(f"the course file has no [assignments.{name}]; it has {', '.join(self.assignments)}")
        return self.assignments[name]


def load_course(path):
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CourseError(f"{path}: no such course file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise CourseError(f"{path}: not valid TOML ({error})") from None
    unknown = set(raw) - TOP_LEVEL
    if unknown:
        raise CourseError(f"{path}: unknown key(s) {sorted(unknown)}; known: {', '.join(sorted(TOP_LEVEL))}")
    if "roster" not in raw:
        raise CourseError(f'{path}: needs roster = "roster.csv"')
    zone = str(raw.get("timezone", "UTC"))
    columns = raw.get("roster_columns", {})
    if not isinstance(columns, dict) or set(columns) - set(DEFAULT_COLUMNS):
        raise CourseError(f"{path}: [roster_columns] may rename {', '.join(DEFAULT_COLUMNS)}")
    assignments = raw.get("assignments", {})
    if not isinstance(assignments, dict) or not assignments:
        raise CourseError(f"{path}: no [assignments.NAME] sections")
    try:
        time_zone(f"{path}: timezone", zone)
        read = {name: _assignment(f"{path}: [assignments.{name}]", name, table, zone) for name, table in assignments.items()}
    except PolicyError as error:
        raise CourseError(str(error)) from None
    return Course(str(raw.get("title", "")), path.parent, path.parent / raw["roster"], dict(columns), zone,
                  _letters(path, raw.get("letters", {})), read)


def _assignment(where, name, raw, zone):
    if not isinstance(raw, dict):
        raise CourseError(f"{where} must be a table")
    unknown = set(raw) - ASSIGNMENT
    if unknown:
        raise CourseError(f"{where}: unknown key(s) {sorted(unknown)}; known: {', '.join(sorted(ASSIGNMENT))}")
    weight = raw.get("weight", 1)
    if not isinstance(weight, (int, float)) or isinstance(weight, bool) or weight < 0:
        raise CourseError(f"{where}: weight must be a number >= 0")
    late = {key: value for key, value in raw.items() if key in LATE_SETTINGS}
    if late and "deadline" not in late:
        raise CourseError(f"{where}: a late policy needs a deadline")
    return Assignment(name, str(raw.get("title", name)), float(weight), str(raw.get("gradebook", f"{name}.csv")),
                      str(raw.get("feedback", f"feedback/{name}")), read_policy(where, late, zone) if late else None)


def _letters(path, raw):
    if not isinstance(raw, dict) or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in raw.values()):
        raise CourseError(f"{path}: letters must be a table of letter = lowest percent, e.g. {{ A = 90, B = 80 }}")
    return tuple(sorted(raw.items(), key=lambda item: -item[1]))
