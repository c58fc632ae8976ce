"""The late policy of an assignment, and when a submission was handed in.

A policy has a deadline (with its time zone), a grace period, a penalty in percent of the
assignment's points per started day late, a cap on that penalty, and per-student extensions (a new
deadline, or a number of extra days). A submission handed in exactly at the deadline, or within
the grace period after it, is on time; past the grace period it is late by every started day
counted from the deadline. The penalty is taken from the score before any manual adjustment.

When a submission was handed in comes from, in this order: the platform's own record
(Gradescope's `submission_metadata.json` in the submission's folder), a timestamps CSV the
instructor gives (columns `submission` and `submitted_at`), or the newest modification time of
the submission's files; the gradebook's `submitted_from` column says which.
"""

import csv
import json
import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

METADATA = "submission_metadata.json"  # what Gradescope puts beside a submission
SETTINGS = {"deadline", "grace_minutes", "penalty_per_day", "max_penalty", "extensions"}
DAY = timedelta(days=1)


class PolicyError(ValueError):
    """A late policy or a timestamp that cannot be read."""


@dataclass(frozen=True)
class LatePolicy:
    deadline: datetime             # time-zone aware
    grace: timedelta = timedelta(0)
    per_day: float = 0.0           # percent of the points per started day late
    cap: float = 100.0             # the most, in percent, a late submission can lose
    extensions: dict = field(default_factory=dict)  # student id -> their own deadline

    def deadline_of(self, student_id):
        return self.extensions.get(student_id, self.deadline)


@dataclass(frozen=True)
class Lateness:
    deadline: datetime
    days_late: int
    percent: float                 # of the assignment's points

    def penalty(self, score, max_score):
        """The points taken off `score`: never more than the score itself."""
        return min(score, round(max_score * self.percent / 100, 2))


def assess(policy, student_id, submitted_at):
    """How late `submitted_at` (an aware datetime) is for this student, and what it costs."""
    deadline = policy.deadline_of(student_id)
    late = submitted_at - deadline
    if late <= policy.grace:
        return Lateness(deadline, 0, 0.0)
    days = math.ceil(late / DAY)
    return Lateness(deadline, days, min(policy.cap, policy.per_day * days))


def read_policy(where, raw, zone="UTC"):
    """A LatePolicy from a course file's assignment table; `zone` is for times written without one."""
    unknown = set(raw) - SETTINGS
    if unknown:
        raise PolicyError(f"{where}: unknown late-policy key(s) {sorted(unknown)}; known: {', '.join(sorted(SETTINGS))}")
    deadline = parse_time(f"{where}: deadline", raw["deadline"], zone)
    numbers = {key: raw.get(key, default) for key, default in
               (("grace_minutes", 0), ("penalty_per_day", 0), ("max_penalty", 100))}
    for key, value in numbers.items():
        if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
            raise PolicyError(f"{where}: {key} must be a number >= 0, got {value!r}")
    extensions = raw.get("extensions", {})
    if not isinstance(extensions, dict):
        raise PolicyError(f"{where}: extensions must be a table of student id = new deadline or extra days")
    return LatePolicy(deadline, timedelta(minutes=numbers["grace_minutes"]), float(numbers["penalty_per_day"]),
                      float(numbers["max_penalty"]),
                      {str(student): _extended(f"{where}: extensions.{student}", value, deadline, zone)
                       for student, value in extensions.items()})


def _extended(where, value, deadline, zone):
    if isinstance(value, int) and not isinstance(value, bool):
        return deadline + value * DAY
    return parse_time(where, value, zone)


def parse_time(where, value, zone="UTC"):
    """An aware datetime from ISO text or a TOML date-time; one without an offset is in `zone`."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise PolicyError(f"{where}: {value!r} is not a date and time like 2026-10-02 23:59 "
                              "or 2026-10-02T23:59+02:00") from None
    elif isinstance(value, date) and not isinstance(value, datetime):
        raise PolicyError(f"{where}: {value} needs a time of day too (e.g. {value} 23:59)")
    if not isinstance(value, datetime):
        raise PolicyError(f"{where}: expected a date and time, got {value!r}")
    if value.tzinfo is None:
        value = value.replace(tzinfo=time_zone(where, zone))
    return value


def time_zone(where, name):
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise PolicyError(f"{where}: unknown time zone {name!r} (use a name like Europe/Berlin or UTC)") from None


# -- when a submission was handed in -------------------------------------------------------------


def read_timestamps(path, zone="UTC"):
    """{submission name: aware datetime} from a CSV with columns `submission` and `submitted_at`."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as file:
            rows = list(csv.DictReader(file))
    except OSError as error:
        raise PolicyError(f"{path}: cannot read the timestamps ({error.strerror})") from None
    if rows and not {"submission", "submitted_at"} <= set(rows[0]):
        raise PolicyError(f"{path}: the timestamps need the columns submission and submitted_at")
    return {row["submission"]: parse_time(f"{path}:{line}", row["submitted_at"], zone)
            for line, row in enumerate(rows, start=2)}


def submitted_at(path, timestamps=None, name=None):
    """(when, where it came from) for the submission at `path`."""
    path = Path(path)
    recorded = _metadata(path)
    if recorded is not None and recorded.get("created_at"):
        return parse_time(f"{path / METADATA}: created_at", recorded["created_at"]), "gradescope"
    if timestamps and (name or path.name) in timestamps:
        return timestamps[name or path.name], "timestamps"
    files = [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else [path]
    newest = max((p.stat().st_mtime for p in files), default=path.stat().st_mtime)
    return datetime.fromtimestamp(newest, timezone.utc), "file mtime"


def submitters(path):
    """The names, emails and ids Gradescope recorded for the submission at `path` (() without metadata)."""
    recorded = _metadata(Path(path)) or {}
    users = recorded.get("users") or []
    return tuple(str(user[key]) for user in users if isinstance(user, dict)
                 for key in ("sid", "email", "name") if user.get(key))


def _metadata(path):
    try:
        recorded = json.loads((path / METADATA).read_text(encoding="utf-8")) if path.is_dir() else None
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        raise PolicyError(f"{path / METADATA}: not readable JSON ({error})") from None
    return recorded if isinstance(recorded, dict) else None
