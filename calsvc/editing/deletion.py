"""What deleting a series takes away: its future dates and the feeds it leaves (asked before deleting)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from calsvc.models import MeetingSeries
from calsvc.schedule.attendance import involved
from calsvc.schedule.engine import expand
from calsvc.schedule.rrule import last_start
from calsvc.schedule.store import series_spec

__all__ = ["DeletionImpact", "deletion_impact"]

OPEN_ENDED_WINDOW = timedelta(days=365)


@dataclass(frozen=True)
class DeletionImpact:
    """Future dates (counted up to the end, or over the next year when the series has none) and feeds."""

    future_dates: int
    open_ended: bool
    next_date: datetime | None
    person_codes: tuple[str, ...]
    gremium: tuple[str, str] | None  # slug, name
    in_feeds: bool  # False for a cancelled series: it is in no feed already


def deletion_impact(series: MeetingSeries, today: date) -> DeletionImpact:
    """Count the series' dates from ``today`` on with the one engine and name the feeds that carry it."""
    spec = series_spec(series)
    last = last_start(spec.rrule, spec.dtstart)
    open_ended = last is None and bool(spec.rrule)
    end = today + OPEN_ENDED_WINDOW if open_ended else max(today, (last or spec.dtstart).date()) + timedelta(days=1)
    for extra in spec.extras:
        end = max(end, extra.start.date() + timedelta(days=1))
    found = [o for o in expand([spec], [], today, end) if o.start.date() >= today]
    people = tuple(sorted(involved(spec) - (set(spec.lead_codes) - set(spec.participant_codes))))
    gremium = (series.gremium.slug, series.gremium.name) if series.gremium else None
    return DeletionImpact(
        future_dates=len(found),
        open_ended=open_ended,
        next_date=found[0].start.replace(tzinfo=None) if found else None,
        person_codes=people,
        gremium=gremium,
        in_feeds=series.status != "cancelled",
    )
