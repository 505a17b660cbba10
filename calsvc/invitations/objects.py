"""The calendar objects that tell recipients about a series (pure: specs in, iTIP bytes out).

A REQUEST of the series (one UID: moved dates as RECURRENCE-ID, called-off dates as EXDATE,
SEQUENCE from the series), a REQUEST per extra date (own UID, as in the feeds), a CANCEL per
called-off date that has not passed, or CANCELs of every UID when the series is cancelled.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import icalendar

from calsvc.errors import ValidationError
from calsvc.german import german_date, german_time
from calsvc.publishing.content import FeedContext, series_events
from calsvc.schedule.engine import expand
from calsvc.schedule.specs import SeriesSpec
from calsvc.schedule.walltime import BERLIN
from feeds import InvalidEvent, TimedEvent
from feeds.itip import Attendee, Method, Organizer, cancel_of, render_itip

from .recipients import Recipient
from .settings import MailSettings

__all__ = ["ItipObject", "cancel_sent", "itip_objects", "next_dates", "series_uids"]


@dataclass(frozen=True, slots=True)
class ItipObject:
    """One calendar object to send: which METHOD, UID and instance, at which SEQUENCE."""

    method: Method
    uid: str
    recurrence_id: datetime | None
    sequence: int
    calendar: bytes
    title: str


def series_uids(spec: SeriesSpec, uid_host: str) -> set[str]:
    """Every UID the series (or someone's view of it) has, ended or not (a UID not among them was removed)."""
    master = {f"series-{spec.id}@{uid_host}"} if spec.master else set()
    return master | {f"{x.uid or f'extra-{x.id}'}@{uid_host}" for x in spec.extras}


def itip_objects(spec: SeriesSpec, people: list[Recipient], settings: MailSettings, now: datetime) -> list[ItipObject]:
    """The calendar objects that describe ``spec`` to ``people`` as of ``now``."""
    if spec.status == "cancelled":
        events = _events(replace(spec, status="confirmed"), settings, now)
        return [_object("CANCEL", e, people, settings, now) for e in events]
    objects: list[ItipObject] = []
    for event in _events(spec, settings, now):
        called_off = [o for o in event.overrides if o.status == "CANCELLED"]
        kept = tuple(o for o in event.overrides if o.status != "CANCELLED")
        exdates = (*event.exdates, *(o.recurrence_id for o in called_off))
        objects.append(_object("REQUEST", replace(event, overrides=kept, exdates=exdates), people, settings, now))
        for override in called_off:
            instance = replace(event, sequence=override.sequence, overrides=(), exdates=())
            objects.append(_object("CANCEL", instance, people, settings, now, override.recurrence_id))
    return objects


def cancel_sent(uid: str, request: bytes, now: datetime) -> ItipObject:
    """The CANCEL of what an earlier REQUEST announced (a removed date, or for a removed person)."""
    try:
        calendar = cancel_of(request, now=now)
    except (InvalidEvent, ValueError, KeyError) as exc:
        raise ValidationError(f"Die frühere Einladung {uid} lässt sich nicht absagen: {exc}", field="uid") from exc
    (event,) = icalendar.Calendar.from_ical(calendar).walk("VEVENT")
    return ItipObject("CANCEL", uid, None, int(event.get("SEQUENCE", 0)), calendar, str(event.get("SUMMARY", "")))


def next_dates(spec: SeriesSpec, settings: MailSettings, now: datetime, shown: int = 5) -> dict[str, list[str]]:
    """Per UID the next dates as people read them ("Mittwoch, 06.01.2027, 17:00–19:00 Uhr"), from the engine."""
    today = now.astimezone(BERLIN).date()
    dates: dict[str, list[str]] = {}
    for occ in expand([spec], [], today, today + timedelta(days=400)):
        listed = dates.setdefault(f"{occ.uid}@{settings.uid_host}", [])
        if len(listed) < shown:
            place = f", {occ.location}" if occ.location else ""
            when = f"{german_date(occ.start, weekday=True)}, {german_time(occ.start)}–{german_time(occ.end)} Uhr"
            listed.append(when + place)
    return dates


def _events(spec: SeriesSpec, settings: MailSettings, now: datetime) -> list[TimedEvent]:
    """The series as the feeds publish it (master and extra dates), so UIDs and content agree."""
    ctx = FeedContext.at(settings.uid_host, settings.base_url, now)
    return [e for e in series_events(spec, ctx) if isinstance(e, TimedEvent)]


def _object(
    method: Method,
    event: TimedEvent,
    people: list[Recipient],
    settings: MailSettings,
    now: datetime,
    recurrence_id: datetime | None = None,
) -> ItipObject:
    organizer = Organizer(email=settings.organizer_email, name=settings.organizer_name)
    attendees = [Attendee(email=p.email, name=p.name, role=p.role) for p in people]
    try:
        calendar = render_itip(
            method, event, organizer=organizer, attendees=attendees, now=now, recurrence_id=recurrence_id
        )
    except InvalidEvent as exc:
        raise ValidationError(f"Die Einladung lässt sich nicht erzeugen: {exc.message}", field=exc.field) from exc
    return ItipObject(method, event.uid, recurrence_id, event.sequence, calendar, event.summary)
