"""The late policy at its edges: exactly at the deadline, the grace period, extensions, time zones."""

import json
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coursekit.term.late import PolicyError, assess, parse_time, read_policy, read_timestamps, submitted_at

BERLIN_POLICY = {"deadline": "2026-10-02 23:59", "grace_minutes": 15, "penalty_per_day": 10, "max_penalty": 50,
                 "extensions": {"s002": 2, "s003": "2026-10-05T12:00:00-04:00"}}
DEADLINE_UTC = datetime(2026, 10, 2, 21, 59, tzinfo=timezone.utc)  # Berlin is UTC+2 in October


POLICY = read_policy("course.toml: [assignments.ch1]", BERLIN_POLICY, "Europe/Berlin")


@pytest.fixture
def policy():
    return POLICY


def test_a_deadline_without_an_offset_is_in_the_course_time_zone(policy):
    assert policy.deadline == DEADLINE_UTC


@pytest.mark.parametrize("after, days, percent", [
    (timedelta(0), 0, 0),                          # exactly at the deadline
    (timedelta(minutes=15), 0, 0),                 # the last second of the grace period
    (timedelta(minutes=15, seconds=1), 1, 10),     # just past it: one started day, counted from the deadline
    (timedelta(days=1), 1, 10),
    (timedelta(days=1, seconds=1), 2, 20),
    (timedelta(days=9), 9, 50),                    # capped
    (-timedelta(days=3), 0, 0),
])
def test_days_late_and_penalty_around_the_deadline(policy, after, days, percent):
    lateness = assess(policy, "s001", DEADLINE_UTC + after)
    assert (lateness.days_late, lateness.percent) == (days, percent)


def test_the_same_instant_in_another_time_zone_is_just_as_late(policy):
    in_new_york = datetime(2026, 10, 2, 17, 59, tzinfo=timezone(timedelta(hours=-4)))  # == the deadline
    assert assess(policy, "s001", in_new_york).days_late == 0
    assert assess(policy, "s001", in_new_york + timedelta(minutes=16)).days_late == 1


def test_an_extension_moves_the_students_own_deadline(policy):
    two_days_on = DEADLINE_UTC + timedelta(days=2)
    assert assess(policy, "s002", two_days_on).days_late == 0
    assert assess(policy, "s002", two_days_on + timedelta(minutes=16)).days_late == 1
    assert assess(policy, "s001", two_days_on).days_late == 2
    new_deadline = datetime(2026, 10, 5, 16, 0, tzinfo=timezone.utc)  # noon in New York
    assert assess(policy, "s003", new_deadline).deadline == new_deadline
    assert assess(policy, "s003", new_deadline).days_late == 0


def test_the_penalty_is_of_the_points_and_never_more_than_the_score(policy):
    lateness = assess(policy, "s001", DEADLINE_UTC + timedelta(days=2))
    assert lateness.penalty(18, 20) == 4
    assert lateness.penalty(3, 20) == 3


def test_a_deadline_across_the_change_of_summer_time():
    winter = read_policy("x", {"deadline": "2026-10-26 09:00"}, "Europe/Berlin")  # after the clocks went back
    assert winter.deadline.utcoffset() == timedelta(hours=1)


@settings(deadline=None, max_examples=200)
@given(st.integers(min_value=-10**6, max_value=10**7))
def test_never_late_before_the_grace_ends_and_never_over_the_cap(seconds):
    lateness = assess(POLICY, "s001", DEADLINE_UTC + timedelta(seconds=seconds))
    assert (lateness.days_late == 0) == (seconds <= 15 * 60)
    assert 0 <= lateness.percent <= 50
    assert lateness.days_late == (0 if seconds <= 900 else -(-seconds // 86400))


@pytest.mark.parametrize("raw, zone, message", [
    ({"deadline": "next friday"}, "UTC", "x: deadline: 'next friday' is not a date and time like 2026-10-02 23:59 "
                                         "or 2026-10-02T23:59+02:00"),
    ({"deadline": "2026-10-02 23:59"}, "Mars/Olympus", "x: deadline: unknown time zone 'Mars/Olympus' "
                                                       "(use a name like Europe/Berlin or UTC)"),
    ({"deadline": "2026-10-02", "penalty_per_day": -1}, "UTC", "x: penalty_per_day must be a number >= 0, got -1"),
    ({"deadline": "2026-10-02", "late_days": 3}, "UTC", "x: unknown late-policy key(s) ['late_days']; known: "
                                                        "deadline, extensions, grace_minutes, max_penalty, penalty_per_day"),
])
def test_a_bad_policy_says_what_and_where(raw, zone, message):
    with pytest.raises(PolicyError) as error:
        read_policy("x", raw, zone)
    assert str(error.value) == message


def test_a_date_alone_is_refused_with_an_example():
    import tomllib

    with pytest.raises(PolicyError) as error:
        parse_time("course.toml: deadline", tomllib.loads("d = 2026-10-02")["d"])
    assert str(error.value) == "course.toml: deadline: 2026-10-02 needs a time of day too (e.g. 2026-10-02 23:59)"


def test_where_the_time_of_a_submission_comes_from(tmp_path):
    folder = tmp_path / "alice"
    folder.mkdir()
    (folder / "value.py").write_text("")
    when, source = submitted_at(folder)
    assert source == "file mtime" and abs(when - datetime.now(timezone.utc)) < timedelta(minutes=5)
    (tmp_path / "times.csv").write_text("submission,submitted_at\nalice,2026-10-03 08:00\n")
    stamps = read_timestamps(tmp_path / "times.csv", "Europe/Berlin")
    assert submitted_at(folder, stamps) == (datetime(2026, 10, 3, 6, 0, tzinfo=timezone.utc), "timestamps")
    (folder / "submission_metadata.json").write_text(json.dumps({"created_at": "2026-10-01T10:00:00.5-07:00"}))
    assert submitted_at(folder, stamps) == (datetime(2026, 10, 1, 17, 0, 0, 500000, tzinfo=timezone.utc), "gradescope")
