"""Render plain feed data into RFC 5545 bytes that Outlook, Thunderbird, Apple, Google and
Evolution all read the same way (DESIGN.md, "iCalendar rules that Outlook needs")."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vDatetime, vDuration, vText
from icalendar.enums import STATUS

from .errors import FeedError, InvalidEvent
from .model import AllDayEvent, CalendarMeta, FeedEvent, Override, TimedEvent
from .recurrence import OccurrenceSet, utc_until_rule
from .text import Text, clean_line, clean_text
from .timezones import is_nonexistent, vtimezone, zone

__all__ = ["Component", "RenderedEvent", "assemble_calendar", "render_calendar", "render_event"]

TEXT_PROPERTIES = ("SUMMARY", "LOCATION", "DESCRIPTION")
_STAMP_SLOT = datetime(1970, 1, 1, tzinfo=UTC)
"""DTSTAMP of a rendered component until :func:`assemble_calendar` writes the feed's own."""
_STAMP_LINE = b"\r\nDTSTAMP:19700101T000000Z\r\n"  # TEXT escapes line breaks: only DTSTAMP starts so


@dataclass(frozen=True, slots=True)
class Component:
    """One VEVENT's bytes and its place in a feed: by UID, then RECURRENCE-ID (the master first)."""

    uid: str
    recurrence_id: str
    ical: bytes


@dataclass(frozen=True, slots=True)
class RenderedEvent:
    """An event's components, or why it cannot be published; depends on the event and zone only.

    So a caller may keep it for as long as the event is unchanged and assemble feeds from it.
    """

    uid: str
    components: tuple[Component, ...] = ()
    error: InvalidEvent | None = None


def render_calendar(
    meta: CalendarMeta,
    events: Iterable[FeedEvent],
    *,
    now: datetime | None = None,
    on_invalid: Callable[[InvalidEvent], None] | None = None,
) -> bytes:
    """One VCALENDAR (METHOD:PUBLISH) with its VTIMEZONE and one VEVENT per event/override.

    The same input and ``now`` give identical bytes: VEVENTs are sorted by UID, then
    RECURRENCE-ID (the master first). ``now`` becomes every DTSTAMP (aware; default: now).
    An invalid event raises :class:`InvalidEvent`, unless ``on_invalid`` is given: then that
    event is left out and handed to ``on_invalid``, so one bad item cannot take a feed down.
    """
    zone(meta.timezone)  # an unsupported zone fails before any event is rendered
    rendered = (render_event(event, meta.timezone) for event in events)
    return assemble_calendar(meta, rendered, now=now, on_invalid=on_invalid)


def render_event(event: FeedEvent, timezone: str = "Europe/Berlin") -> RenderedEvent:
    """The VEVENTs of one event (master, overrides) for :func:`assemble_calendar`; never raises
    for the event's data: an invalid event comes back with its error."""
    try:
        rows = _vevents(event, zone(timezone), _STAMP_SLOT)
    except InvalidEvent as exc:
        return RenderedEvent(event.uid, error=exc)
    components = []
    for uid, rid, vevent in rows:
        for prop in TEXT_PROPERTIES:
            if prop in vevent:
                vevent[prop] = Text(str(vevent[prop]))
        components.append(Component(uid, rid, vevent.to_ical()))
    return RenderedEvent(event.uid, tuple(components))


def assemble_calendar(
    meta: CalendarMeta,
    events: Iterable[RenderedEvent],
    *,
    now: datetime | None = None,
    on_invalid: Callable[[InvalidEvent], None] | None = None,
) -> bytes:
    """The VCALENDAR of already rendered events: what :func:`render_calendar` writes for them.

    The first event with a UID wins; a later one with the same UID is refused like an invalid one.
    """
    stamp = _utc(datetime.now(UTC) if now is None else now, field="now", uid=None)
    head = _calendar(meta).to_ical()
    parts: list[Component] = []
    seen: set[str] = set()
    for event in events:
        error = event.error
        if event.uid in seen:
            error = InvalidEvent("the same UID twice in one feed", field="uid", uid=event.uid)
        seen.add(event.uid)
        if error is None:
            parts.extend(event.components)
            continue
        if on_invalid is None:
            raise error
        on_invalid(error)
    parts.sort(key=_place)
    body = b"".join(part.ical for part in parts)
    body = body.replace(_STAMP_LINE, b"\r\nDTSTAMP:" + vDatetime(stamp).to_ical() + b"\r\n")
    end = b"END:VCALENDAR\r\n"
    return head.removesuffix(end) + _vtimezone_ical(meta.timezone) + body + end


def _place(component: Component) -> tuple[str, str]:
    return component.uid, component.recurrence_id


@lru_cache(maxsize=8)
def _vtimezone_ical(timezone: str) -> bytes:
    """The VTIMEZONE's bytes (the same for every feed of the zone)."""
    return vtimezone(timezone).to_ical()


def _calendar(meta: CalendarMeta) -> Calendar:
    """VCALENDAR properties of RFC 5545, RFC 7986 and their X-WR-* ancestors Outlook reads."""
    calendar = Calendar.new(
        prodid=clean_line(meta.prodid),
        method="PUBLISH",
        calscale="GREGORIAN",
        url=clean_line(meta.url) if meta.url else None,
    )
    # Not Calendar.new(name=, description=): icalendar 7.3 types NAME and X-WR-* as vUnknown,
    # writing ",;\\" unescaped and failing on a newline. vText escapes (RFC 5545 3.3.11).
    name = clean_line(meta.name)
    for prop in ("NAME", "X-WR-CALNAME"):  # RFC 7986 5.1, and what Outlook/Google/Apple read
        calendar.add(prop, Text(name))
    if clean_text(meta.description):
        for prop in ("DESCRIPTION", "X-WR-CALDESC"):
            calendar.add(prop, Text(clean_text(meta.description)))
    calendar.pop("UID", None)  # Calendar.new invents a random UID: output would never repeat
    if meta.refresh <= timedelta(0):
        raise FeedError("refresh interval must be positive", field="refresh")
    # RFC 7986 5.7: "VALUE=DURATION" is required; icalendar 7 omits it unless told.
    calendar.add("REFRESH-INTERVAL", vDuration(meta.refresh), parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", vDuration(meta.refresh))
    calendar.add("X-WR-TIMEZONE", vText(meta.timezone))
    return calendar


def _vevents(event: FeedEvent, tz: ZoneInfo, stamp: datetime) -> list[tuple[str, str, Event]]:
    uid = clean_line(event.uid)
    if not uid:
        raise InvalidEvent("empty UID", field="uid", uid=event.uid)
    if isinstance(event, AllDayEvent):
        return [(uid, "", _all_day(event, uid, stamp))]
    return _series(event, uid, tz, stamp)


def _all_day(event: AllDayEvent, uid: str, stamp: datetime) -> Event:
    """VALUE=DATE span with exclusive DTEND (RFC 5545 3.6.1) that does not block free/busy."""
    first, last = event.first_day, event.last_day
    if isinstance(first, datetime) or isinstance(last, datetime):
        raise InvalidEvent("all-day days must be dates, not datetimes", field="first_day", uid=uid)
    if last < first:
        raise InvalidEvent(f"last day {last} before first day {first}", field="last_day", uid=uid)
    vevent = _common(event, uid, stamp, start=first, end=last + timedelta(days=1))
    vevent.transparency = "TRANSPARENT"
    return vevent


def _series(event: TimedEvent, uid: str, tz: ZoneInfo, stamp: datetime) -> list[tuple[str, str, Event]]:
    start = _local(event.start, tz, "start", uid)
    end = _local(event.end, tz, "end", uid)
    if end < start:
        raise InvalidEvent(f"end {end} before start {start}", field="end", uid=uid)
    master = _common(event, uid, stamp, start=start.replace(tzinfo=tz), end=end.replace(tzinfo=tz))
    if event.rrule is None:
        if event.exdates or event.overrides:
            raise InvalidEvent("exdates/overrides need an rrule", field="rrule", uid=uid)
        return [(uid, "", master)]
    rule = utc_until_rule(event.rrule, tz=tz, uid=uid)
    occurrences = OccurrenceSet(rule, start, tz)
    if start not in occurrences:
        # recurring-ical-events counts such a DTSTART, libical and ical.js skip it.
        raise InvalidEvent(f"start {start} is not an occurrence of {event.rrule}", field="rrule", uid=uid)
    master.add("RRULE", rule)
    exdates = sorted({_local(day, tz, "exdates", uid) for day in event.exdates})
    for exdate in exdates:
        # RFC 5545 3.8.5.1: EXDATE must have the value type of DTSTART; same TZID for Outlook.
        master.add("EXDATE", exdate.replace(tzinfo=tz))
    rows = [(uid, "", master)]
    for override in event.overrides:
        rid = _local(override.recurrence_id, tz, "overrides", uid)
        if rid not in occurrences or rid in exdates:
            raise InvalidEvent(f"override {rid} is no (remaining) occurrence", field="overrides", uid=uid)
        if any(row[1] == rid.isoformat() for row in rows):
            raise InvalidEvent(f"two overrides for {rid}", field="overrides", uid=uid)
        rows.append((uid, rid.isoformat(), _override(event, override, uid, rid, tz, stamp)))
    return rows


def _override(event: TimedEvent, o: Override, uid: str, rid: datetime, tz: ZoneInfo, stamp: datetime) -> Event:
    """A RECURRENCE-ID component; it replaces the instance whole, so unset fields come from the master."""
    start = _local(o.start, tz, "overrides", uid)
    end = _local(o.end, tz, "overrides", uid)
    if end < start:
        raise InvalidEvent(f"override end {end} before start {start}", field="overrides", uid=uid)
    summary = clean_line(o.summary if o.summary is not None else event.summary)
    if not summary:
        raise InvalidEvent("empty SUMMARY in override", field="overrides", uid=uid)
    vevent = Event.new(
        uid=uid,
        recurrence_id=rid.replace(tzinfo=tz),
        summary=summary,
        start=start.replace(tzinfo=tz),
        end=end.replace(tzinfo=tz),
        stamp=stamp,
        sequence=o.sequence,
        last_modified=_utc(o.last_modified, field="overrides", uid=uid),
        status=STATUS(o.status or event.status),
        categories=[clean_line(c) for c in event.categories if clean_line(c)],
    )
    _optional(vevent, event, description=o.description, location=o.location)
    if o.status == "CANCELLED":
        vevent.transparency = "TRANSPARENT"  # a called-off date blocks nobody's time
    return vevent


def _common(event: FeedEvent, uid: str, stamp: datetime, *, start: date, end: date) -> Event:
    """Properties every VEVENT of a feed carries (DTSTAMP, SEQUENCE, LAST-MODIFIED, STATUS...)."""
    if not clean_line(event.summary):
        raise InvalidEvent("empty SUMMARY: clients would list a nameless entry", field="summary", uid=uid)
    vevent = Event.new(
        uid=uid,
        summary=clean_line(event.summary),
        start=start,
        end=end,
        stamp=stamp,
        sequence=event.sequence,
        last_modified=_utc(event.last_modified, field="last_modified", uid=uid),
        created=None if event.created is None else _utc(event.created, field="created", uid=uid),
        status=STATUS(event.status),
        categories=[clean_line(c) for c in event.categories if clean_line(c)],
        url=clean_line(event.url) if event.url else None,
    )
    _optional(vevent, event, description=None, location=None)
    return vevent


def _optional(vevent: Event, event: FeedEvent, *, description: str | None, location: str | None) -> None:
    if not vevent.categories:
        vevent.pop("CATEGORIES", None)  # Event.new writes an empty "CATEGORIES:" line
    description = description if description is not None else event.description
    location = location if location is not None else event.location
    if description and clean_text(description):
        vevent.description = clean_text(description)
    if location and clean_line(location):
        vevent.location = clean_line(location)


def _local(value: datetime, tz: ZoneInfo, field: str, uid: str) -> datetime:
    """Naive wall time in ``tz`` (aware input is converted), whole seconds, not in a DST gap."""
    if not isinstance(value, datetime):
        raise InvalidEvent(f"{value!r} is not a datetime", field=field, uid=uid)
    if value.tzinfo is not None:
        value = value.astimezone(tz).replace(tzinfo=None)
    value = value.replace(microsecond=0, fold=0)
    if is_nonexistent(value, tz):
        raise InvalidEvent(f"{value} does not exist in {tz.key} (DST gap)", field=field, uid=uid)
    return value


def _utc(value: datetime, *, field: str, uid: str | None) -> datetime:
    """An aware instant as whole-second UTC (DTSTAMP, LAST-MODIFIED, CREATED: RFC 5545 3.8.7)."""
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise InvalidEvent(f"{value!r} must be an aware datetime (UTC)", field=field, uid=uid)
    return value.astimezone(UTC).replace(microsecond=0)
