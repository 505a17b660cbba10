"""Render feeds from the database, cached by the data version every write bumps.

A feed's bytes depend only on the data, the day (items older than six months drop out)
and where it is published; so the ETag is derived from those without rendering, and a
revalidating client gets its 304 without any iCalendar work. The cache lives per process;
correctness across workers and hosts comes from the shared data version in the database.
After a write, a feed is assembled from its items' components, of which only the changed
items are rendered again (:mod:`.components`).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from calsvc.db import DATA_VERSION_ROW, database_name
from calsvc.models import Gremium, Person
from calsvc.schedule.attendance import person_view
from calsvc.schedule.store import load_activities, load_series, require_gremium, require_person
from feeds import CalendarMeta, InvalidEvent, assemble_calendar, render_event

from .absences import absence_events
from .components import rendered_events
from .content import FeedContent, FeedContext, feed_day
from .problems import left_out

__all__ = [
    "FeedKeys",
    "FeedRequest",
    "RenderedFeed",
    "Scope",
    "cache_key",
    "connection_state",
    "database_name",
    "feed_keys",
    "feed_state",
    "render_feed",
]

Scope = Literal["all", "gremium", "person"]
OFFICE_NAME = "Integrationsbüro Marzahn-Hellersdorf"


@dataclass(frozen=True, slots=True)
class FeedRequest:
    """Which feed, published where: the meetings of the office, a Gremium or a person, or the
    Vorhaben (planning items) of the office or a person."""

    scope: Scope
    key: str | None
    content: FeedContent
    uid_host: str
    base_url: str
    refresh_minutes: int = 60
    retention_days: int = 183

    def __post_init__(self) -> None:
        if self.content == "vorhaben" and self.scope == "gremium":
            raise ValueError("Vorhaben feeds exist for the office and for persons, not per Gremium")

    @classmethod
    def configured(
        cls,
        config: Mapping[str, Any],
        scope: Scope,
        key: str | None,
        *,
        base_url: str,
        content: FeedContent = "meetings",
    ) -> FeedRequest:
        """The request as the app's settings publish it (views, fast path and export agree on ETags)."""
        return cls(
            scope=scope,
            key=key,
            content=content,
            uid_host=config["CALSVC_UID_HOST"],
            base_url=base_url.rstrip("/"),
            refresh_minutes=int(config["CALSVC_FEED_REFRESH_MINUTES"]),
            retention_days=int(config["CALSVC_FEED_RETENTION_DAYS"]),
        )

    @property
    def filename(self) -> str:
        """The file name subscribers' clients see."""
        if self.content == "vorhaben":
            return "vorhaben.ics" if self.scope == "all" else f"vorhaben-{self.key}.ics"
        return {"all": "integrationsbuero.ics", "gremium": f"{self.key}.ics", "person": f"{self.key}.ics"}[self.scope]


@dataclass(frozen=True, slots=True)
class RenderedFeed:
    """Bytes plus the validators HTTP caching needs."""

    body: bytes
    etag: str
    last_modified: datetime


@dataclass(frozen=True, slots=True)
class FeedState:
    """The database's data version and when it last changed."""

    version: int
    changed_at: datetime


def feed_state(session: Session) -> FeedState:
    """One cheap query: the data version row (Core, prebuilt: this runs on every feed poll)."""
    return connection_state(session.connection())


def connection_state(connection: Connection) -> FeedState:
    """:func:`feed_state` on a plain connection (the WSGI fast path has no session)."""
    row = connection.execute(DATA_VERSION_ROW).first()
    if row is None:
        return FeedState(0, datetime(2024, 1, 1, tzinfo=UTC))
    return FeedState(row.version, row.changed_at.replace(tzinfo=UTC, microsecond=0))


def etag_for(request: FeedRequest, state: FeedState, now: datetime) -> str:
    """A strong ETag from everything the bytes depend on.

    The data version alone restarts at 0 with a new database; the time of the last write
    keeps a reset (or restored) database from reusing the ETags of the old one.
    """
    today = feed_day(now)  # the day the content depends on (FeedContext.today)
    parts = f"{request}|{state.version}|{state.changed_at.isoformat()}|{today.isoformat()}"
    return '"' + hashlib.sha256(parts.encode()).hexdigest()[:32] + '"'


class _Cache:
    """A small LRU of rendered feeds, keyed by ETag."""

    def __init__(self, size: int = 256) -> None:
        self._items: OrderedDict[str, RenderedFeed] = OrderedDict()
        self._lock = threading.Lock()
        self._size = size

    def get(self, key: str) -> RenderedFeed | None:
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
            return item

    def put(self, key: str, value: RenderedFeed) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


CACHE = _Cache()


def cache_key(database: str, etag: str) -> str:
    """The rendered-feed cache key: a process may serve (or a test run use) several databases."""
    return f"{database}|{etag}"


@dataclass(frozen=True, slots=True)
class FeedKeys:
    """Which Gremium slugs and person codes exist, and each person's token hash, at one data version."""

    version: int
    slugs: frozenset[str]
    token_hashes: Mapping[str, str | None]
    stamp: tuple[str, int, datetime] = ("", 0, datetime.min)  # database, version, last write

    def valid_for(self, database: str, state: FeedState) -> bool:
        """True for this database at exactly this data version (a reset database restarts at 0)."""
        return self.stamp == (database, state.version, state.changed_at)


class _KeyCache:
    """The newest :class:`FeedKeys`; any write bumps the data version, so a stale entry is never used."""

    def __init__(self) -> None:
        self.keys: FeedKeys | None = None

    def clear(self) -> None:
        self.keys = None


KEYS = _KeyCache()


def feed_keys(session: Session, state: FeedState) -> FeedKeys:
    """Slugs, codes and token hashes valid at ``state`` (two queries only when the data changed)."""
    keys = KEYS.keys
    database = database_name(session.get_bind().engine.url)
    if keys is None or not keys.valid_for(database, state):
        # Read after the version: these rows are at least as new as it, never older.
        slugs = frozenset(session.scalars(select(Gremium.slug)))
        tokens = {code: token for code, token in session.execute(select(Person.code, Person.feed_token_hash))}
        keys = FeedKeys(state.version, slugs, tokens, (database, state.version, state.changed_at))
        KEYS.keys = keys
    return keys


def render_feed(
    session: Session, request: FeedRequest, *, now: datetime | None = None, state: FeedState | None = None
) -> RenderedFeed:
    """The feed's bytes, from the cache when the data has not changed since ``state`` (read if not given)."""
    now = now or datetime.now(UTC)
    state = state or feed_state(session)
    etag = etag_for(request, state, now)
    key = cache_key(database_name(session.get_bind().engine.url), etag)
    cached = CACHE.get(key)
    if cached is not None:
        return cached
    meta = _meta(session, request)
    person = request.key if request.scope == "person" else None
    gremium = request.key if request.scope == "gremium" else None
    vorhaben = request.content == "vorhaben"
    series = [] if vorhaben else load_series(session, person=person, gremium=gremium)
    views: dict[int, str] = {}  # series shown differently to this person: their components apart
    if person is not None and series:  # each series as this person attends it: without the dates they miss
        code = require_person(session, person).code
        seen = [(spec, person_view(spec, code)) for spec in series]
        series = [view for _spec, view in seen if view is not None]
        views = {spec.id: code for spec, view in seen if view is not None and view is not spec}
    activities = load_activities(session, person=person) if vorhaben else []
    ctx = FeedContext.at(request.uid_host, request.base_url, now, timedelta(days=request.retention_days))
    events = rendered_events(series, activities, ctx, timezone=meta.timezone, views=views)
    if person is not None and not vorhaben:  # a person's own absences (opt-in): few, rendered each time
        events += [render_event(e, meta.timezone) for e in absence_events(session, person, ctx)]
    refused: list[InvalidEvent] = []
    body = assemble_calendar(meta, events, now=state.changed_at, on_invalid=refused.append)
    prefix = "vorhaben/" if vorhaben else ""
    left_out.record(f"{prefix}{request.scope}/{request.key or 'all'}", refused)
    rendered = RenderedFeed(body=body, etag=etag, last_modified=state.changed_at)
    CACHE.put(key, rendered)
    return rendered


def _one_line(text: str) -> str:
    """Calendar names and descriptions are one line: breaks and white-space runs become a space."""
    return " ".join(text.split())


def _meta(session: Session, request: FeedRequest) -> CalendarMeta:
    refresh = timedelta(minutes=request.refresh_minutes)
    if request.content == "vorhaben":
        return _vorhaben_meta(session, request, refresh)
    if request.scope == "gremium":
        gremium = require_gremium(session, request.key or "")
        name = _one_line(gremium.name)  # icalendar writes X-WR-CALDESC with a raw line break: a 500
        return CalendarMeta(
            name=name,
            description=f"Termine: {name} ({OFFICE_NAME})",
            refresh=refresh,
            url=f"{request.base_url.rstrip('/')}/feeds/gremium/{gremium.slug}.ics",
        )
    if request.scope == "person":
        person = require_person(session, request.key or "")
        return CalendarMeta(
            name=f"{person.code} · {OFFICE_NAME}",
            refresh=refresh,
            description=f"Persönlicher Kalender {_one_line(person.display())} – Sitzungen und Termine",
        )
    return CalendarMeta(
        name=OFFICE_NAME,
        description="Alle Sitzungen und Termine des Integrationsbüros",
        refresh=refresh,
        url=f"{request.base_url.rstrip('/')}/feeds/all.ics",
    )


def _vorhaben_meta(session: Session, request: FeedRequest, refresh: timedelta) -> CalendarMeta:
    """Planning items have calendars of their own, so quarter-long spans stay out of meeting views."""
    if request.scope == "person":
        person = require_person(session, request.key or "")
        return CalendarMeta(
            name=f"Vorhaben {person.code} · {OFFICE_NAME}",
            refresh=refresh,
            description=f"Geplante Vorhaben des Arbeitsplans, zuständig: {_one_line(person.display())}",
        )
    return CalendarMeta(
        name=f"Vorhaben · {OFFICE_NAME}",
        description="Geplante Vorhaben des Arbeitsplans (ganztägig über ihren Zeitraum)",
        refresh=refresh,
        url=f"{request.base_url.rstrip('/')}/feeds/vorhaben/all.ics",
    )
