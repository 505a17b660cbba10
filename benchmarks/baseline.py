"""The naive baselines calsvc is measured against: plain icalendar + recurring-ical-events, brute force.

What a quick implementation would do: publish the series as one VCALENDAR (one VEVENT per series
with RRULE and EXDATEs, RECURRENCE-ID overrides for moved dates, a VEVENT per extra date) and
let recurring-ical-events expand it; check conflicts by comparing every pair of occurrences.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

import icalendar
import recurring_ical_events

from calsvc.schedule.specs import Occurrence, SeriesSpec
from calsvc.schedule.walltime import localize

__all__ = ["OccurrenceSet", "brute_force_pairs", "engine_set", "naive_calendar", "naive_expand"]

OccurrenceSet = set[tuple[str, datetime, datetime]]


def naive_calendar(specs: Iterable[SeriesSpec]) -> bytes:
    """The series as one VCALENDAR rendered with plain icalendar (cancelled series left out)."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//calsvc benchmarks//naive baseline//DE")
    cal.add("version", "2.0")
    for spec in specs:
        if spec.status == "cancelled":
            continue
        uid = f"series-{spec.id}@bench"
        master = _event(uid, spec.title, spec.dtstart, spec.dtstart + spec.duration)
        if spec.rrule:
            master.add("rrule", icalendar.vRecur.from_ical(spec.rrule))
            cancelled = [localize(e.recurrence_id) for e in spec.exceptions if e.cancelled]
            if cancelled:
                master.add("exdate", cancelled)
        cal.add_component(master)
        for exc in spec.exceptions:
            if exc.cancelled or not spec.rrule:
                continue
            start = exc.new_start or exc.recurrence_id
            override = _event(uid, spec.title, start, start + (exc.new_duration or spec.duration))
            override.add("recurrence-id", localize(exc.recurrence_id))
            cal.add_component(override)
        for extra in spec.extras:
            end = extra.start + (extra.duration or spec.duration)
            cal.add_component(_event(f"extra-{extra.id}@bench", spec.title, extra.start, end))
    cal.add_missing_timezones()
    return cal.to_ical()


def _event(uid: str, summary: str, start: datetime, end: datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("summary", summary)
    event.add("dtstamp", datetime(2024, 1, 1, tzinfo=UTC))
    event.add("dtstart", localize(start))
    event.add("dtend", localize(end))
    return event


def naive_expand(cal: icalendar.Calendar, start: datetime, end: datetime) -> list[icalendar.Event]:
    """What the baseline times: recurring-ical-events' expansion of the whole calendar."""
    return recurring_ical_events.of(cal).between(start, end)


def naive_set(events: Iterable[icalendar.Event]) -> OccurrenceSet:
    """(uid without host, start, end) in UTC of the baseline's occurrences."""
    return {
        (str(e["UID"]).split("@", 1)[0], e["DTSTART"].dt.astimezone(UTC), e["DTEND"].dt.astimezone(UTC)) for e in events
    }


def engine_set(found: Iterable[Occurrence]) -> OccurrenceSet:
    """The same triple for calsvc's occurrences."""
    return {(o.uid, o.start.astimezone(UTC), o.end.astimezone(UTC)) for o in found if o.kind == "meeting"}


def brute_force_pairs(found: Sequence[Occurrence]) -> set[tuple[str, str, str]]:
    """Every (person, key, key) double booking by comparing all pairs: O(n²)."""
    booked = [o for o in found if not o.all_day and not o.cancelled]
    pairs: set[tuple[str, str, str]] = set()
    for i, a in enumerate(booked):
        people_a = set(a.lead_codes) | set(a.participant_codes)
        for b in booked[i + 1 :]:
            if a.start < b.end and b.start < a.end:
                for code in people_a.intersection(b.lead_codes) | people_a.intersection(b.participant_codes):
                    pairs.add((code, *sorted((a.key, b.key))))
    return pairs
