"""iTIP scheduling objects (RFC 5546): METHOD:REQUEST and METHOD:CANCEL for one meeting.

The VEVENTs are the same as in the feeds (:func:`feeds.render._vevents`: VTIMEZONE, UNTIL in
UTC, EXDATE with TZID, escaped TEXT), plus ORGANIZER and ATTENDEE. One object carries one UID:
the master and its RECURRENCE-ID overrides (a scheduling message is about one meeting; extra
dates, which the feeds publish with UIDs of their own, get objects of their own).

RFC 5546 3.2.2 (REQUEST): ATTENDEE 1+, DTSTAMP, DTSTART, ORGANIZER, SEQUENCE (if not 0),
SUMMARY, UID. 3.2.5 (CANCEL): ATTENDEE 0+, DTSTAMP, ORGANIZER, SEQUENCE, UID, STATUS (if
present: CANCELLED), RECURRENCE-ID only when one instance is cancelled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, TypeAlias
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress
from icalendar.enums import STATUS

from .errors import InvalidEvent
from .model import TimedEvent
from .render import TEXT_PROPERTIES, _local, _utc, _vevents
from .text import Text, clean_line
from .timezones import vtimezone, zone

__all__ = ["Attendee", "Method", "Organizer", "cancel_of", "render_itip"]

Method: TypeAlias = Literal["REQUEST", "CANCEL"]
PRODID = "-//Integrationsbuero Marzahn-Hellersdorf//calsvc invitations//DE"


@dataclass(frozen=True, kw_only=True)
class Organizer:
    """Who invites: the office mailbox (RFC 5545 3.8.4.3; CN is the display name)."""

    email: str
    name: str = ""


@dataclass(frozen=True, kw_only=True)
class Attendee:
    """One invited person; ``role`` as RFC 5545 3.2.16 (``CHAIR``, ``REQ-PARTICIPANT``, ...)."""

    email: str
    name: str = ""
    role: str = "REQ-PARTICIPANT"


def render_itip(
    method: Method,
    event: TimedEvent,
    *,
    organizer: Organizer,
    attendees: Sequence[Attendee],
    now: datetime,
    recurrence_id: datetime | None = None,
    timezone: str = "Europe/Berlin",
    prodid: str = PRODID,
) -> bytes:
    """The iTIP object for ``event``: REQUEST (master and overrides), CANCEL of the whole UID,
    or CANCEL of the one instance at local ``recurrence_id`` (its slot taken from the series)."""
    tz = zone(timezone)
    stamp = _utc(now, field="now", uid=event.uid)
    if method == "REQUEST" and not attendees:
        raise InvalidEvent("a REQUEST needs at least one ATTENDEE (RFC 5546 3.2.2)", field="attendees", uid=event.uid)
    if method == "REQUEST":
        if recurrence_id is not None:
            raise InvalidEvent("a REQUEST carries the whole series", field="recurrence_id", uid=event.uid)
        vevents = [row[2] for row in sorted(_vevents(event, tz, stamp), key=lambda row: row[:2])]
    elif recurrence_id is None:
        master = _vevents(event, tz, stamp)[0][2]
        master["STATUS"] = STATUS.CANCELLED
        vevents = [master]
    else:
        vevents = [_cancelled_instance(event, recurrence_id, tz, stamp)]
    calendar = Calendar.new(prodid=clean_line(prodid), method=method, calscale="GREGORIAN")
    calendar.pop("UID", None)  # Calendar.new invents one; the object is identified by its VEVENT's UID
    calendar.add_component(vtimezone(timezone))
    for vevent in vevents:
        for prop in TEXT_PROPERTIES:
            if prop in vevent:
                vevent[prop] = Text(str(vevent[prop]))
        vevent.add("ORGANIZER", _address(organizer.email, organizer.name, event.uid))
        for attendee in attendees:
            vevent.add("ATTENDEE", _attendee(attendee, event.uid))
        calendar.add_component(vevent)
    return calendar.to_ical()


def cancel_of(request: bytes, *, now: datetime, prodid: str = PRODID) -> bytes:
    """The CANCEL of a meeting known only from the REQUEST sent earlier (an extra date or series
    that no longer exists): its master VEVENT with STATUS:CANCELLED and SEQUENCE one higher."""
    sent = Calendar.from_ical(request)
    masters = [e for e in sent.walk("VEVENT") if "RECURRENCE-ID" not in e]
    if len(masters) != 1:
        raise InvalidEvent("the earlier REQUEST has no single master VEVENT", field="request", uid=None)
    master = masters[0]
    uid = str(master["UID"])
    master["STATUS"] = STATUS.CANCELLED
    master["SEQUENCE"] = int(master.get("SEQUENCE", 0)) + 1
    master.pop("DTSTAMP")
    master.add("DTSTAMP", _utc(now, field="now", uid=uid))
    for prop in TEXT_PROPERTIES:
        if prop in master:
            master[prop] = Text(str(master[prop]))
    calendar = Calendar.new(prodid=clean_line(prodid), method="CANCEL", calscale="GREGORIAN")
    calendar.pop("UID", None)
    for timezone in sent.walk("VTIMEZONE"):
        calendar.add_component(timezone)
    calendar.add_component(master)
    return calendar.to_ical()


def _cancelled_instance(event: TimedEvent, recurrence_id: datetime, tz: ZoneInfo, stamp: datetime) -> Event:
    """One instance called off: RECURRENCE-ID, its original slot, STATUS:CANCELLED."""
    rid = _local(recurrence_id, tz, "recurrence_id", event.uid)
    if event.rrule is None:
        raise InvalidEvent("only a series has instances to cancel", field="recurrence_id", uid=event.uid)
    duration = event.end - event.start
    return Event.new(
        uid=clean_line(event.uid),
        recurrence_id=rid.replace(tzinfo=tz),
        start=rid.replace(tzinfo=tz),
        end=(rid + duration).replace(tzinfo=tz),
        summary=clean_line(event.summary),
        stamp=stamp,
        sequence=event.sequence,
        status=STATUS.CANCELLED,
        last_modified=_utc(event.last_modified, field="last_modified", uid=event.uid),
    )


def _address(email: str, name: str, uid: str) -> vCalAddress:
    """``mailto:`` with a CN that needs no DQUOTE inside (RFC 5545 3.1: param values exclude it)."""
    address = clean_line(email)
    if not address or "@" not in address or any(c in address for c in ' <>"'):
        raise InvalidEvent(f"not an e-mail address: {email!r}", field="email", uid=uid)
    value = vCalAddress(f"mailto:{address}")
    common_name = clean_line(name).replace('"', "'")
    if common_name:
        value.params["CN"] = common_name
    return value


def _attendee(attendee: Attendee, uid: str) -> vCalAddress:
    value = _address(attendee.email, attendee.name, uid)
    value.params["CUTYPE"] = "INDIVIDUAL"
    value.params["ROLE"] = attendee.role
    value.params["PARTSTAT"] = "NEEDS-ACTION"
    value.params["RSVP"] = "TRUE"
    return value
