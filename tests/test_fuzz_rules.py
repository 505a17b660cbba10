"""Fuzzing the work budget: hostile RRULEs and DST-edge times are answered within the budget or refused.

A hostile rule has parts drawn from the whole RFC 5545 vocabulary with extreme, negative,
non-ASCII and malformed values. Each one must either be refused with a RecurrenceError naming
``rrule``, or be stored in canonical form and expand within a bounded amount of counted work
(the budget meter), with a first date within ten years; never another exception, never a hang.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from flask import Flask
from hypothesis import given
from hypothesis import strategies as st

from calsvc.errors import RecurrenceError, ValidationError
from calsvc.schedule.budget import MAX_COUNT, MAX_RULE_SPAN, budget
from calsvc.schedule.rrule import expand_rule, normalize_rrule
from calsvc.schedule.walltime import localize, wall_time_problem

from .fuzz_support import fuzz_settings

NUMBERS = st.one_of(
    st.integers(-400, 400).map(str),
    st.sampled_from(["0", "-0", "+1", "99999999999999999999", "²", "٣", "1.5", "", " ", "1e3", "0x10", "00007"]),
)
DAYS = st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU", "XX", "mo", "1MO", "-1FR", "53SU", "+5WE", "0MO"])
PARTS = {
    "FREQ": st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY", "HOURLY", "SECONDLY", "daily", "", "FOO"]),
    "INTERVAL": NUMBERS,
    "COUNT": NUMBERS,
    "UNTIL": st.sampled_from(["20240101", "20991231", "20240101T000000Z", "19990101", "2024-12-31", "99999999"]),
    "BYDAY": st.lists(DAYS, min_size=1, max_size=4).map(",".join),
    "BYMONTH": st.lists(NUMBERS, min_size=1, max_size=3).map(",".join),
    "BYMONTHDAY": st.lists(NUMBERS, min_size=1, max_size=3).map(",".join),
    "BYYEARDAY": st.lists(NUMBERS, min_size=1, max_size=2).map(",".join),
    "BYWEEKNO": st.lists(NUMBERS, min_size=1, max_size=2).map(",".join),
    "BYSETPOS": st.lists(NUMBERS, min_size=1, max_size=2).map(",".join),
    "WKST": DAYS,
    "BYHOUR": NUMBERS,
}
HOSTILE_RULES = (
    st.dictionaries(st.sampled_from(sorted(PARTS)), st.just(None), min_size=1, max_size=5)
    .flatmap(lambda keys: st.fixed_dictionaries({k: PARTS[k] for k in keys}))
    .map(lambda parts: ";".join(f"{k}={v}" for k, v in parts.items()))
)

# Wall times around the switches, where a time may not exist or exist twice.
DST_EDGES = st.builds(
    lambda day, minutes: datetime.combine(day, datetime.min.time()) + timedelta(minutes=minutes),
    st.sampled_from([date(2024, 3, 31), date(2024, 10, 27), date(2027, 3, 28), date(2026, 10, 25)]),
    st.integers(60, 240),
)
STARTS = st.one_of(DST_EDGES, st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31)))


@fuzz_settings(3.0)
@given(HOSTILE_RULES, STARTS)
def test_a_hostile_rule_is_refused_or_expands_within_the_budget(rule: str, start: datetime) -> None:
    start = start.replace(second=0, microsecond=0)
    with budget() as meter:
        try:
            stored = normalize_rrule(rule, start)
        except RecurrenceError as refused:
            assert refused.field == "rrule" and refused.message
            assert meter.used <= MAX_COUNT + 1
            return
        assert meter.used <= MAX_COUNT + 1  # the validity search stops at ten years
        found = expand_rule(stored, start, start, start + MAX_RULE_SPAN)
    assert found and found[0] >= start and found[0] - start <= MAX_RULE_SPAN
    assert len(found) <= 2 * MAX_COUNT + 2  # daily for ten years at most
    assert normalize_rrule(stored, start) == stored  # canonical form is stable


@fuzz_settings()
@given(DST_EDGES)
def test_every_wall_time_is_one_moment_or_refused_naming_a_valid_one(moment: datetime) -> None:
    problem = wall_time_problem(moment)
    if problem is None:
        assert localize(moment).replace(tzinfo=None) == moment
        return
    assert "Uhr" in problem
    suggested = [datetime.combine(moment.date(), datetime.strptime(t, "%H:%M").time()) for t in _times(problem)]
    assert suggested and all(wall_time_problem(s) is None for s in suggested)


def _times(text: str) -> list[str]:
    import re

    return re.findall(r"(\d\d:\d\d) Uhr", text)[1:]  # the first is the refused time itself


@fuzz_settings(0.5, db=True)
@given(HOSTILE_RULES, DST_EDGES, st.integers(-10, 20_000))
def test_the_proposal_check_answers_hostile_input_without_a_server_error(
    demo_app: Flask, rule: str, start: datetime, duration: int
) -> None:
    body: dict[str, Any] = {"start": start.isoformat(), "duration": duration, "rrule": rule, "participants": ["IntB"]}
    answer = demo_app.test_client().post("/api/v1/conflicts/check", json=body)
    assert answer.status_code in (200, 422), answer.get_data(as_text=True)
    if answer.status_code == 422:
        assert answer.json["error"]["field"] in {"rrule", "start", "duration", "window_end"}


def test_refusals_are_validation_errors() -> None:
    assert issubclass(RecurrenceError, ValidationError)


SANE_RULES = st.fixed_dictionaries(
    {"FREQ": st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"])},
    optional={
        "INTERVAL": st.integers(1, 4).map(str),
        "BYMONTH": st.lists(st.integers(1, 12), min_size=1, max_size=3, unique=True).map(
            lambda v: ",".join(map(str, v))
        ),
        "BYMONTHDAY": st.lists(st.sampled_from([1, 15, 28, 29, 30, 31, -1]), min_size=1, max_size=2, unique=True).map(
            lambda v: ",".join(map(str, v))
        ),
        "BYDAY": st.lists(st.sampled_from(["MO", "TU", "WE", "SA"]), min_size=1, max_size=2, unique=True).map(",".join),
        "BYSETPOS": st.sampled_from(["1", "-1", "2"]),
    },
).map(lambda parts: ";".join(f"{k}={v}" for k, v in parts.items()))


@fuzz_settings(2.0)
@given(SANE_RULES, st.datetimes(min_value=datetime(1995, 1, 1), max_value=datetime(2095, 12, 31)))
def test_the_bounded_search_finds_exactly_the_dates_dateutil_finds(rule: str, start: datetime) -> None:
    """The 400-year shift (and reading "every day that…" yearly) changes the cost, never the dates."""
    from dateutil.rrule import rrulestr

    from calsvc.schedule.reach import starts_within_horizon

    start = start.replace(second=0, microsecond=0)
    parts = dict(chunk.split("=") for chunk in rule.split(";"))
    full = rrulestr(f"RRULE:{rule}", dtstart=start)
    expected = full.between(start, start + MAX_RULE_SPAN, inc=True)[: MAX_COUNT + 1]
    assert starts_within_horizon(full, parts, start, None) == expected
