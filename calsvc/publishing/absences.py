"""A person's own absences in their own (secret) feed, when they opted in: "Abwesend: Urlaub".

Only the person's feed carries them (it is reachable only with their secret link); whole days
are all-day events, an absence that starts or ends at a time is a timed event.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from calsvc.models import ABSENCE_LABELS, Absence, Person
from feeds import AllDayEvent, FeedEvent, TimedEvent

from .content import FeedContext

__all__ = ["absence_events"]

CATEGORIES = ("Abwesenheit",)


def absence_events(session: Session, code: str, ctx: FeedContext) -> Iterator[FeedEvent]:
    """The absences of person ``code`` not yet past the feed's horizon, if the person opted in."""
    person = session.scalar(select(Person).where(Person.code == code))
    if person is None or not person.feed_absences:
        return
    rows = session.scalars(
        select(Absence)
        .where(Absence.person_id == person.id, Absence.end_day >= ctx.horizon.date())
        .order_by(Absence.id)
    )
    for absence in rows:
        uid = ctx.uid(f"absence-{absence.id}")
        summary = f"Abwesend: {ABSENCE_LABELS.get(absence.kind, absence.kind)}"
        note = absence.note or None
        stamp = absence.created_at.replace(tzinfo=UTC)
        sequence = absence.version - 1
        if absence.start_time is None and absence.end_time is None:
            yield AllDayEvent(
                uid=uid, summary=summary, first_day=absence.start_day, last_day=absence.end_day, last_modified=stamp,
                description=note, categories=CATEGORIES, sequence=sequence,
            )  # fmt: skip
            continue
        start = datetime.combine(absence.start_day, absence.start_time or time())
        end = (
            datetime.combine(absence.end_day, absence.end_time)
            if absence.end_time
            else datetime.combine(absence.end_day + timedelta(days=1), time())
        )
        yield TimedEvent(
            uid=uid, summary=summary, start=start, end=end, last_modified=stamp, description=note,
            categories=CATEGORIES, sequence=sequence,
        )  # fmt: skip
