"""What each recipient still needs to hear about a series, queued in the outbox once and audited.

"Einladung senden" brings every participant with an e-mail address up to date: a REQUEST of
the series (one UID, moved dates as RECURRENCE-ID, called-off dates as EXDATE; SEQUENCE from
the series), a REQUEST per extra date (own UID, as in the feeds), a CANCEL per called-off date
that has not passed, or a CANCEL of the whole UID when the series is cancelled. Deleting a series
that was ever sent queues the CANCEL of its UID (:func:`withdraw`).

Idempotent: a message's key is a hash of recipient, METHOD and the calendar object without its
DTSTAMP; a key already in the outbox (sent, waiting or failed) is not queued again, so pressing
the button twice sends nothing new, while any change (which raises SEQUENCE) is sent. A CANCEL
goes only to those who got a REQUEST of that UID before: the others' REQUEST already lacks the
called-off date (EXDATE), and a cancelled series is news to nobody who never had it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from calsvc.editing import audit
from calsvc.editing.series import delete_series
from calsvc.errors import ValidationError
from calsvc.german import german_date, german_datetime, german_time
from calsvc.models import MeetingSeries, OutboxMessage
from calsvc.publishing.content import FeedContext, series_events
from calsvc.schedule.engine import expand
from calsvc.schedule.specs import SeriesSpec
from calsvc.schedule.store import series_spec
from calsvc.schedule.walltime import BERLIN
from feeds import InvalidEvent, TimedEvent
from feeds.itip import Attendee, Method, Organizer, render_itip

from .letters import build_letter
from .recipients import Recipient, recipients
from .settings import MailSettings

__all__ = [
    "MAX_MESSAGES",
    "ItipObject",
    "content_hash",
    "delete_and_withdraw",
    "invite",
    "itip_objects",
    "next_dates",
    "withdraw",
]

MAX_MESSAGES = 500  # per press of the button: recipients x (series + extra dates + cancelled dates)


@dataclass(frozen=True, slots=True)
class ItipObject:
    """One calendar object to send: which METHOD, UID and instance, at which SEQUENCE."""

    method: Method
    uid: str
    recurrence_id: datetime | None
    sequence: int
    calendar: bytes
    title: str


def invite(
    session: Session, actor: str, series: MeetingSeries, settings: MailSettings, now: datetime
) -> list[OutboxMessage]:
    """Queue what the participants do not have yet; the new outbox rows (none: all up to date)."""
    people = recipients(series)
    if not people:
        raise ValidationError(
            "Keine Teilnehmenden mit E-Mail-Adresse: bitte bei den Personen eine E-Mail-Adresse eintragen.",
            field="participants",
        )
    spec = series_spec(series)
    objects = itip_objects(spec, people, settings, now)
    if not objects:
        raise ValidationError(
            "Die Terminserie ist vorbei (älter als sechs Monate): es gibt nichts einzuladen.", field="dtstart"
        )
    if len(objects) * len(people) > MAX_MESSAGES:
        raise ValidationError(
            f"Das wären {len(objects) * len(people)} E-Mails (höchstens {MAX_MESSAGES} auf einmal).",
            field="participants",
        )
    rows = _queue(session, actor, series.id, objects, people, settings, now, next_dates(spec, settings, now))
    if rows:
        audit.record(
            session,
            actor,
            "series",
            series.id,
            "invite",
            _summary(rows),
            {"invitations": [None, [f"{r.method} {r.recipient} SEQUENCE {r.sequence}" for r in rows]]},
        )
    return rows


def delete_and_withdraw(
    session: Session, actor: str, series: MeetingSeries, version: int, settings: MailSettings, now: datetime
) -> None:
    """Delete a series (:func:`calsvc.editing.series.delete_series`) and queue the CANCEL for those invited."""
    withdraw(session, actor, series, settings, now)
    delete_series(session, actor, series, version)  # a stale version rolls both back


def withdraw(session: Session, actor: str, series: MeetingSeries, settings: MailSettings, now: datetime) -> None:
    """Before a series is deleted: a CANCEL of its UID to everyone who got a REQUEST of it."""
    uid = f"series-{series.id}@{settings.uid_host}"
    invited = session.execute(
        select(OutboxMessage.recipient, OutboxMessage.recipient_name)
        .where(OutboxMessage.uid == uid, OutboxMessage.method == "REQUEST")
        .distinct()
    ).all()
    if not invited:
        return
    people = [Recipient(name=name, email=email) for email, name in sorted(set(invited))]
    spec = series_spec(series)
    master = _master(replace(spec, status="confirmed", sequence=spec.sequence + 1), settings, now)
    if master is None:
        return
    objects = [_object("CANCEL", master, people, settings, now)]
    rows = _queue(session, actor, series.id, objects, people, settings, now)
    if rows:
        audit.record(session, actor, "series", series.id, "invite", _summary(rows))


def itip_objects(spec: SeriesSpec, people: list[Recipient], settings: MailSettings, now: datetime) -> list[ItipObject]:
    """The calendar objects that describe ``spec`` to ``people`` as of ``now`` (pure)."""
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


def _events(spec: SeriesSpec, settings: MailSettings, now: datetime) -> list[TimedEvent]:
    """The series as the feeds publish it (master and extra dates), so UIDs and content agree."""
    ctx = FeedContext(settings.uid_host, settings.base_url, now)
    return [e for e in series_events(spec, ctx) if isinstance(e, TimedEvent)]


def _master(spec: SeriesSpec, settings: MailSettings, now: datetime) -> TimedEvent | None:
    uid = f"series-{spec.id}@{settings.uid_host}"
    return next((e for e in _events(spec, settings, now) if e.uid == uid), None)


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


def content_hash(recipient: str, obj: ItipObject) -> str:
    """The idempotency key: recipient, METHOD and the object without DTSTAMP (which is "now")."""
    lines = [line for line in obj.calendar.split(b"\r\n") if not line.startswith(b"DTSTAMP")]
    digest = hashlib.sha256(f"{recipient.lower()}\n{obj.method}\n".encode())
    digest.update(b"\r\n".join(lines))
    return digest.hexdigest()


def _queue(
    session: Session,
    actor: str,
    series_id: int,
    objects: list[ItipObject],
    people: list[Recipient],
    settings: MailSettings,
    now: datetime,
    dates: dict[str, list[str]] | None = None,
) -> list[OutboxMessage]:
    dates = dates or {}
    keys = {(p.email, o.uid, o.recurrence_id): content_hash(p.email, o) for o in objects for p in people}
    known = set(
        session.scalars(select(OutboxMessage.content_hash).where(OutboxMessage.content_hash.in_(keys.values())))
    )
    invited_before = _invited(session, people, objects)
    rows: list[OutboxMessage] = []
    for obj in objects:
        for person in people:
            key = keys[(person.email, obj.uid, obj.recurrence_id)]
            invited = (person.email.lower(), obj.uid) in invited_before
            if key in known or (obj.method == "CANCEL" and not invited):
                continue  # sent already; or a CANCEL for someone who never had the meeting
            known.add(key)
            subject = _subject(obj, update=invited)
            letter = build_letter(
                settings,
                person,
                method=obj.method,
                calendar=obj.calendar,
                subject=subject,
                text=_text(obj, subject, people, settings, dates.get(obj.uid, [])),
                now=now,
            )
            row = OutboxMessage(
                actor=actor,
                series_id=series_id,
                uid=obj.uid,
                recurrence_id=obj.recurrence_id.isoformat() if obj.recurrence_id else None,
                method=obj.method,
                sequence=obj.sequence,
                recipient=person.email,
                recipient_name=person.name,
                subject=subject,
                content_hash=key,
                message=letter.as_string(),
                status="pending",
                attempts=0,
                last_error="",
            )
            session.add(row)
            rows.append(row)
    session.flush()
    return rows


def _invited(session: Session, people: list[Recipient], objects: list[ItipObject]) -> set[tuple[str, str]]:
    """(recipient, UID) pairs that already got a REQUEST: their next one says "Aktualisiert"."""
    uids = {o.uid for o in objects}
    rows = session.execute(
        select(OutboxMessage.recipient, OutboxMessage.uid).where(
            OutboxMessage.uid.in_(uids), OutboxMessage.method == "REQUEST"
        )
    )
    return {(email.lower(), uid) for email, uid in rows}


def _subject(obj: ItipObject, *, update: bool) -> str:
    if obj.method == "CANCEL" and obj.recurrence_id is not None:
        return f"Abgesagt: {obj.title} am {german_date(obj.recurrence_id)}"
    if obj.method == "CANCEL":
        return f"Abgesagt: {obj.title}"
    return f"{'Aktualisiert' if update else 'Einladung'}: {obj.title}"


def _text(obj: ItipObject, subject: str, people: list[Recipient], settings: MailSettings, dates: list[str]) -> str:
    """The German body a person reads beside the calendar part."""
    lines = [subject, ""]
    if obj.method == "CANCEL" and obj.recurrence_id is not None:
        lines.append(f"Der Termin am {german_datetime(obj.recurrence_id)} Uhr fällt aus.")
    elif obj.method == "CANCEL":
        lines.append("Dieser Termin findet nicht statt; bitte aus dem Kalender entfernen.")
    else:
        lines.append("Die nächsten Termine:" if len(dates) > 1 else "Termin:")
        lines.extend(f"- {when}" for when in dates or ["keine weiteren Termine"])
    lines.append("")
    lines.append("Eingeladen: " + "; ".join(p.name for p in people))
    lines.append(f"Organisation: {settings.organizer_name} <{settings.organizer_email}>")
    if obj.method == "REQUEST":
        lines += ["", "Bitte sagen Sie in Ihrem Kalenderprogramm zu oder ab."]
    return "\n".join(lines) + "\n"


def next_dates(spec: SeriesSpec, settings: MailSettings, now: datetime, shown: int = 5) -> dict[str, list[str]]:
    """Per UID the next dates as people read them ("Di., 14.05.2024, 10:00–11:30 Uhr"), from the one engine."""
    today = now.astimezone(BERLIN).date()
    dates: dict[str, list[str]] = {}
    for occ in expand([spec], [], today, today + timedelta(days=400)):
        listed = dates.setdefault(f"{occ.uid}@{settings.uid_host}", [])
        if len(listed) < shown:
            place = f", {occ.location}" if occ.location else ""
            listed.append(
                f"{german_date(occ.start, weekday=True)}, {german_time(occ.start)}–{german_time(occ.end)} Uhr{place}"
            )
    return dates


def _summary(rows: list[OutboxMessage]) -> str:
    methods = sorted({r.method for r in rows})
    people = len({r.recipient.lower() for r in rows})
    return f"Einladungen: {len(rows)} Nachricht(en) ({', '.join(methods)}) an {people} Empfänger in den Postausgang"
