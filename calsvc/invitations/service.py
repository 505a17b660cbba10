"""What each recipient still needs to hear about a series, queued in the outbox once and audited.

"Einladung senden" brings every participant with an e-mail address up to date with the objects
of :mod:`.objects`; and whoever holds a meeting they should no longer have (removed from the
participants, an extra date deleted) gets its CANCEL. Deleting a series that was sent queues the
CANCEL of each of its UIDs (:func:`delete_and_withdraw`).

Idempotent: a message's key is a hash of recipient, METHOD and the calendar object without its
DTSTAMP; news equal to the newest message that recipient has about that UID and instance (sent,
waiting or failed) is not queued again, so pressing the button twice sends nothing new, while any
change is sent — also a change back to an earlier state. A CANCEL goes only to those who hold the meeting: a first
REQUEST already lacks called-off dates (EXDATE), and a cancelled series is news to nobody else.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from calsvc.editing import audit
from calsvc.editing.series import delete_series
from calsvc.errors import ValidationError
from calsvc.german import german_date, german_datetime
from calsvc.models import MeetingSeries, OutboxMessage
from calsvc.schedule.specs import SeriesSpec
from calsvc.schedule.store import series_spec

from .ledger import Ledger, ledger
from .letters import build_letter
from .objects import ItipObject, cancel_sent, itip_objects, next_dates, series_uids
from .recipients import Recipient, audience
from .settings import MailSettings

__all__ = ["MAX_MESSAGES", "content_hash", "delete_and_withdraw", "invite", "withdraw"]

MAX_MESSAGES = 500  # per press of the button: recipients x (series + extra dates + cancelled dates)
Item = tuple[ItipObject, Recipient]


def invite(
    session: Session, actor: str, series: MeetingSeries, settings: MailSettings, now: datetime
) -> list[OutboxMessage]:
    """Queue what the participants do not have yet; the new outbox rows (none: all up to date).

    Everybody gets the series as they attend it (:func:`.recipients.audience`): whoever misses
    dates gets them as EXDATEs, whoever comes to single dates only gets those dates, each with the
    UID of their personal feed. The ATTENDEE lines name everybody invited.
    """
    spec = series_spec(series)
    views = audience(series, spec)
    people = [person for person, _ in views]
    sent = ledger(session, series.id)
    items: list[Item] = []
    dates: dict[int, list[str]] = {}  # per object: its next dates, as the recipients of that object attend
    held: dict[str, set[str]] = {}  # per address: the UIDs it should hold now
    for view, group in _grouped(views).items():
        upcoming = next_dates(view, settings, now)
        for obj in itip_objects(view, people, settings, now):
            items += [(obj, person) for person in group]
            dates[id(obj)] = upcoming.get(obj.uid, [])
        for person in group:
            held[person.email.lower()] = series_uids(view, settings.uid_host)
    items += _withdrawn(sent, held, now)
    if not items and not people:
        raise ValidationError(
            "Keine Teilnehmenden mit E-Mail-Adresse: bitte bei den Personen eine E-Mail-Adresse eintragen.",
            field="participants",
        )
    if not items:
        raise ValidationError(
            "Die Terminserie ist vorbei (älter als sechs Monate): es gibt nichts einzuladen.", field="dtstart"
        )
    if len(items) > MAX_MESSAGES:
        raise ValidationError(
            f"Das wären {len(items)} E-Mails (höchstens {MAX_MESSAGES} auf einmal).", field="participants"
        )
    names = [person.name for person in people]
    rows = _queue(session, actor, series.id, items, sent, settings, now, lambda obj: (names, dates.get(id(obj), [])))
    _audit(session, actor, series.id, rows)
    return rows


def _grouped(views: list[tuple[Recipient, SeriesSpec]]) -> dict[SeriesSpec, list[Recipient]]:
    """Recipients per view of the series (most share the series' own): one set of objects per view."""
    groups: dict[SeriesSpec, list[Recipient]] = {}
    for person, view in views:
        groups.setdefault(view, []).append(person)
    return groups


def delete_and_withdraw(
    session: Session, actor: str, series: MeetingSeries, version: int, settings: MailSettings, now: datetime
) -> None:
    """Delete a series (:func:`calsvc.editing.series.delete_series`) and queue the CANCELs for those invited."""
    withdraw(session, actor, series, settings, now)
    delete_series(session, actor, series, version)  # a stale version rolls both back


def withdraw(session: Session, actor: str, series: MeetingSeries, settings: MailSettings, now: datetime) -> None:
    """Before a series is deleted: the CANCEL of each of its UIDs to everyone who holds it."""
    sent = ledger(session, series.id)
    items = _withdrawn(sent, {}, now)
    _audit(session, actor, series.id, _queue(session, actor, series.id, items, sent, settings, now, _no_text))


def _no_text(obj: ItipObject) -> tuple[list[str], list[str]]:
    return [], []


def _withdrawn(sent: Ledger, held: dict[str, set[str]], now: datetime) -> list[Item]:
    """CANCELs for those holding a UID they should no longer have (a removed date or person, a deleted series)."""
    items: list[Item] = []
    for uid, request in sorted(sent.requests.items()):
        gone = [r for r in sent.holders_of(uid) if uid not in held.get(r.email.lower(), set())]
        if gone:
            cancel = cancel_sent(uid, request, now)
            items += [(cancel, r) for r in gone]
    return items


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
    items: list[Item],
    sent: Ledger,
    settings: MailSettings,
    now: datetime,
    told: Callable[[ItipObject], tuple[list[str], list[str]]],
) -> list[OutboxMessage]:
    """``told(obj)``: who is invited and the next dates, for the letter's text."""
    rows: list[OutboxMessage] = []
    queued: set[tuple[str, str, str | None]] = set()
    for obj, person in items:
        key = content_hash(person.email, obj)
        rid = obj.recurrence_id.isoformat() if obj.recurrence_id else None
        last = sent.last(person.email, obj.uid, rid)
        holds = sent.has(person.email, obj.uid)
        if (last is not None and last.content_hash == key) or (obj.method == "CANCEL" and not holds):
            continue  # they have this already; or a CANCEL for someone who never had the meeting
        if (person.email.lower(), obj.uid, rid) in queued:
            continue
        queued.add((person.email.lower(), obj.uid, rid))
        subject = _subject(obj, update=holds)
        text = _text(obj, subject, *told(obj), settings)
        letter = build_letter(
            settings, person, method=obj.method, calendar=obj.calendar, subject=subject, text=text, now=now
        )
        row = OutboxMessage(
            actor=actor,
            series_id=series_id,
            uid=obj.uid,
            recurrence_id=rid,
            method=obj.method,
            sequence=obj.sequence,
            recipient=person.email,
            recipient_name=person.name,
            subject=subject,
            content_hash=key,
            previous_id=last.id if last else 0,
            message=letter.as_string(),
            status="pending",
            attempts=0,
            last_error="",
        )
        session.add(row)
        rows.append(row)
    session.flush()
    return rows


def _subject(obj: ItipObject, *, update: bool) -> str:
    if obj.method == "CANCEL" and obj.recurrence_id is not None:
        return f"Abgesagt: {obj.title} am {german_date(obj.recurrence_id)}"
    if obj.method == "CANCEL":
        return f"Abgesagt: {obj.title}"
    return f"{'Aktualisiert' if update else 'Einladung'}: {obj.title}"


def _text(obj: ItipObject, subject: str, names: list[str], dates: list[str], settings: MailSettings) -> str:
    """The German body a person reads beside the calendar part."""
    lines = [subject, ""]
    if obj.method == "CANCEL" and obj.recurrence_id is not None:
        lines.append(f"Der Termin am {german_datetime(obj.recurrence_id)} Uhr fällt aus.")
    elif obj.method == "CANCEL":
        lines.append("Dieser Termin findet für Sie nicht statt; bitte aus dem Kalender entfernen.")
    else:
        lines.append("Die nächsten Termine:" if len(dates) > 1 else "Termin:")
        lines.extend(f"- {when}" for when in dates or ["keine weiteren Termine"])
        lines += ["", "Eingeladen: " + "; ".join(names)]
    lines += ["", f"Organisation: {settings.organizer_name} <{settings.organizer_email}>"]
    if obj.method == "REQUEST":
        lines += ["", "Bitte sagen Sie in Ihrem Kalenderprogramm zu oder ab."]
    return "\n".join(lines) + "\n"


def _audit(session: Session, actor: str, series_id: int, rows: list[OutboxMessage]) -> None:
    """One audit entry per press, in words (nothing when nothing was queued)."""
    if not rows:
        return
    requests = sum(r.method == "REQUEST" for r in rows)
    parts = [f"{requests} Einladung(en)"] if requests else []
    parts += [f"{len(rows) - requests} Absage(n)"] if len(rows) > requests else []
    people = len({r.recipient.lower() for r in rows})
    audit.record(
        session,
        actor,
        "series",
        series_id,
        "invite",
        f"{' und '.join(parts)} an {people} Empfänger in den Postausgang gelegt",
        {"invitations": [None, [_told(r) for r in rows]]},
    )


def _told(row: OutboxMessage) -> str:
    what = "Einladung" if row.method == "REQUEST" else "Absage"
    if row.recurrence_id:
        what += f" des Termins {german_datetime(datetime.fromisoformat(row.recurrence_id))}"
    return f"{what} an {row.recipient} (Version {row.sequence})"
