"""iCalendar publishing as a library of its own: plain data in, RFC 5545 bytes out.

It imports neither Flask, SQLAlchemy nor calsvc; the web app and ``calsvc export-feeds``
map their rows to these dataclasses and call :func:`render_calendar`.

Public API
----------
``CalendarMeta(name, description="", refresh=timedelta(hours=1), timezone="Europe/Berlin",
url=None, prodid=...)``
    The VCALENDAR: NAME/X-WR-CALNAME, DESCRIPTION/X-WR-CALDESC, REFRESH-INTERVAL and
    X-PUBLISHED-TTL, X-WR-TIMEZONE and the classic VTIMEZONE of ``timezone``.
``TimedEvent(uid, summary, start, end, last_modified, rrule=None, exdates=(), overrides=(),
location=None, description=None, categories=(), sequence=0, created=None,
status="CONFIRMED", url=None)``
    ``start``/``end``/``exdates``: naive local wall times; ``last_modified``/``created``: aware.
``Override(recurrence_id, start, end, last_modified, sequence=0, summary=None,
location=None, description=None, status=None)``
    ``None`` fields are copied from the series; ``status="CANCELLED"`` (a called-off date that
    stays visible) is also written TRANSP:TRANSPARENT.
``AllDayEvent(uid, summary, first_day, last_day, last_modified, location=None,
description=None, categories=(), sequence=0, created=None, status="CONFIRMED", url=None)``
    ``last_day`` is inclusive.
``render_calendar(meta, events, *, now=None, on_invalid=None) -> bytes``
``render_event(event, timezone) -> RenderedEvent`` and ``assemble_calendar(meta, rendered, *, now=None,
on_invalid=None) -> bytes``
    The same bytes in two steps: a caller may keep each event's ``RenderedEvent`` while the event
    is unchanged and assemble feeds from them (DTSTAMP is written by ``assemble_calendar``).
``FeedError`` > ``InvalidEvent``, ``UnsupportedTimezone`` (``code``, ``message``, ``field``, ``uid``).

``feeds.itip.render_itip(method, event, *, organizer, attendees, now, recurrence_id=None)``
    The same VEVENTs as an iTIP object (RFC 5546 REQUEST or CANCEL) with ORGANIZER/ATTENDEE.

All dataclasses are frozen and keyword-only. UIDs (``<kind>-<id>@<host>``) are the caller's.
"""

from .errors import FeedError, InvalidEvent, UnsupportedTimezone
from .model import AllDayEvent, CalendarMeta, FeedEvent, Override, OverrideStatus, Status, TimedEvent
from .render import Component, RenderedEvent, assemble_calendar, render_calendar, render_event

__all__ = [
    "AllDayEvent",
    "CalendarMeta",
    "Component",
    "FeedError",
    "FeedEvent",
    "InvalidEvent",
    "Override",
    "OverrideStatus",
    "RenderedEvent",
    "Status",
    "TimedEvent",
    "UnsupportedTimezone",
    "assemble_calendar",
    "render_calendar",
    "render_event",
]
