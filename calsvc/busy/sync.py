"""Bringing an outside calendar's busy times into the database, one source at a time.

A source's stored intervals are replaced only by a calendar that was fetched and read
completely; on any failure they stay as they were and the source records the reason, which
its owner sees on "Mein Kalender". One broken calendar never stops the others.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from calsvc.errors import CalsvcError
from calsvc.models import BusyInterval, BusySource, utcnow

from .fetch import fetch_calendar
from .parse import MAX_EVENTS, busy_intervals

__all__ = ["SyncLimits", "SyncResult", "store_upload", "sync_source"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SyncLimits:
    """How much one outside calendar may cost: bytes, seconds, the window expanded, occurrences."""

    max_bytes: int = 5 * 1024 * 1024
    timeout: float = 15.0
    past_days: int = 30
    future_days: int = 400
    max_events: int = MAX_EVENTS

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SyncLimits:
        """``CALSVC_BUSY_MAX_BYTES``, ``CALSVC_BUSY_TIMEOUT_SECONDS``, ``CALSVC_BUSY_PAST_DAYS``, ``…_FUTURE_DAYS``."""
        default = cls()
        return cls(
            max_bytes=int(config.get("CALSVC_BUSY_MAX_BYTES") or default.max_bytes),
            timeout=float(config.get("CALSVC_BUSY_TIMEOUT_SECONDS") or default.timeout),
            past_days=int(config.get("CALSVC_BUSY_PAST_DAYS") or default.past_days),
            future_days=int(config.get("CALSVC_BUSY_FUTURE_DAYS") or default.future_days),
        )


@dataclass(frozen=True, slots=True)
class SyncResult:
    """What one sync of one source did."""

    source_id: int
    ok: bool
    count: int
    message: str


def sync_source(session: Session, source: BusySource, limits: SyncLimits, now: datetime | None = None) -> SyncResult:
    """Fetch ``source``'s address and store its busy times; failures are recorded, not raised."""
    if not source.url:
        return _record(session, source, False, 0, "Hochgeladene Datei: bitte eine neue Datei hochladen.")
    try:
        data = fetch_calendar(source.url, max_bytes=limits.max_bytes, timeout=limits.timeout)
    except CalsvcError as exc:
        return _record(session, source, False, 0, exc.message)
    return store_upload(session, source, data, limits, now)


def store_upload(
    session: Session, source: BusySource, data: bytes, limits: SyncLimits, now: datetime | None = None
) -> SyncResult:
    """Read ``data`` (a fetched or uploaded calendar) and replace ``source``'s busy times with its own."""
    if len(data) > limits.max_bytes:
        return _record(session, source, False, 0, f"Die Kalenderdatei ist größer als {limits.max_bytes // 1024} KB.")
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    lo, hi = moment - timedelta(days=limits.past_days), moment + timedelta(days=limits.future_days)
    try:
        intervals = busy_intervals(data, lo, hi, max_events=limits.max_events)
    except CalsvcError as exc:
        return _record(session, source, False, 0, exc.message)
    except Exception:  # a library failing on a hostile file must not take the other calendars down
        log.exception("outside calendar %s could not be read", source.id)
        return _record(session, source, False, 0, "Die Kalenderdatei ließ sich nicht lesen.")
    session.execute(delete(BusyInterval).where(BusyInterval.source_id == source.id))
    rows = [
        {"source_id": source.id, "start": s.replace(tzinfo=None), "end": e.replace(tzinfo=None)} for s, e in intervals
    ]
    if rows:
        session.execute(insert(BusyInterval), rows)
    session.expire(source, ["intervals"])
    text = f"{len(rows)} belegte Zeiten vom {lo:%d.%m.%Y} bis {hi:%d.%m.%Y} übernommen."
    return _record(session, source, True, len(rows), text)


def _record(session: Session, source: BusySource, ok: bool, count: int, message: str) -> SyncResult:
    source.last_sync_at = utcnow()
    source.last_ok = ok
    source.last_message = message
    session.flush()
    return SyncResult(source.id, ok, count, message)
