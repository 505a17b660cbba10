"""Rule expansion: the direct path for common rules gives exactly dateutil's starts."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from calsvc.schedule.fastrule import _simple_rule
from calsvc.schedule.rrule import _build, clear_rule_caches, expand_rule, normalize_rrule

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@st.composite
def rules(draw: st.DrawFn) -> tuple[str, datetime]:
    """Weekly, daily and monthly rules as users write them (plus some the direct path must refuse)."""
    dtstart = draw(st.datetimes(min_value=datetime(2022, 1, 1), max_value=datetime(2026, 12, 31)))
    dtstart = dtstart.replace(second=draw(st.sampled_from((0, 0, 30))), microsecond=0)
    freq = draw(st.sampled_from(("WEEKLY", "DAILY", "MONTHLY", "MONTHLY", "YEARLY")))
    parts = [f"FREQ={freq}"]
    if draw(st.booleans()):
        parts.append(f"INTERVAL={draw(st.integers(1, 4))}")
    if freq == "WEEKLY" and draw(st.booleans()):
        days = draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=2, unique=True))
        if draw(st.booleans()):
            days = [DAYS[dtstart.weekday()]]
        parts.append("BYDAY=" + ",".join(days))
    if freq == "MONTHLY":
        if draw(st.booleans()):
            nth = draw(st.sampled_from((1, 2, 3, 4, 5, -1, -2, -4)))
            parts.append(f"BYDAY={nth}{draw(st.sampled_from(DAYS))}")
        else:
            parts.append(f"BYMONTHDAY={draw(st.integers(1, 31))}")
        if draw(st.booleans()):
            parts.append("BYMONTH=" + ",".join(map(str, sorted(draw(st.sets(st.integers(1, 12), min_size=1))))))
    if draw(st.booleans()):
        until = dtstart + timedelta(days=draw(st.integers(0, 900)), hours=draw(st.integers(-30, 30)))
        parts.append(f"UNTIL={until:%Y%m%d}" if draw(st.booleans()) else f"UNTIL={until:%Y%m%dT%H%M%S}")
    elif draw(st.integers(0, 5)) == 0:
        parts.append(f"COUNT={draw(st.integers(1, 30))}")
    if draw(st.integers(0, 4)) == 0:
        parts.append("WKST=SU")
    return ";".join(parts), dtstart


@settings(max_examples=600, deadline=None)
@given(rules(), st.integers(-400, 1200), st.integers(0, 800))
def test_direct_expansion_equals_dateutil(rule: tuple[str, datetime], offset: int, length: int) -> None:
    text, dtstart = rule
    after = dtstart + timedelta(days=offset, hours=offset % 13)
    before = after + timedelta(days=length)
    expected = _build(text, dtstart).between(after, before, inc=True)
    assert expand_rule(text, dtstart, after, before) == expected


def test_common_rules_take_the_direct_path_and_others_do_not() -> None:
    start = datetime(2024, 1, 9, 10)
    for rule in (
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
        "FREQ=MONTHLY;INTERVAL=2;BYDAY=2TH",
        "FREQ=MONTHLY;BYDAY=-1TH",
        "FREQ=MONTHLY;BYMONTH=1,2,3,4,5,6,9,10,11,12;BYDAY=1WE",
        "FREQ=DAILY;UNTIL=20240301",
    ):
        assert _simple_rule(normalize_rrule(rule, start)) is not None, rule
    for rule in (
        "FREQ=WEEKLY;BYDAY=MO,TH",
        "FREQ=MONTHLY;BYDAY=TU",
        "FREQ=WEEKLY;COUNT=3",
        "FREQ=YEARLY",
        "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
    ):
        assert _simple_rule(rule) is None, rule
    clear_rule_caches()
    assert expand_rule("FREQ=WEEKLY;BYDAY=MO", start, start, start + timedelta(days=14)) == [
        datetime(2024, 1, 15, 10),
        datetime(2024, 1, 22, 10),
    ]  # DTSTART on a Tuesday is no Monday: dateutil decides, as before
