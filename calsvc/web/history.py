"""The change history as people read it: Berlin local times and German field names (entries are stored in UTC)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select

from calsvc.db import get_session
from calsvc.editing import audit
from calsvc.models import AuditEntry
from calsvc.schedule.walltime import BERLIN

__all__ = [
    "Change",
    "HistoryRow",
    "field_label",
    "history_row",
    "history_rows",
    "local_time",
    "recent_rows",
    "shown_value",
]

HIDDEN = ("version", "sequence", "snapshot", "restored_from")  # bookkeeping, not something a person changed
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?")
_ITEM = re.compile(r"(?P<list>\w+)\[(?P<key>[^\]]+)\](?:\.(?P<field>\w+))?")


@dataclass(frozen=True)
class Change:
    """One changed field: its German label, the old and the new value."""

    label: str
    old: object
    new: object


@dataclass(frozen=True)
class HistoryRow:
    """One audit entry ready for the page."""

    at: datetime
    actor: str
    summary: str
    changes: list[Change]


def local_time(stored_utc: datetime) -> datetime:
    """A naive UTC timestamp of the database as naive Berlin wall time (summer time included)."""
    return stored_utc.replace(tzinfo=UTC).astimezone(BERLIN).replace(tzinfo=None)


def shown_value(value: object) -> object:
    """A stored value as a person reads it: German dates and times, ja/nein, lists joined (None stays None)."""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, str):
        if not _ISO.fullmatch(value):
            return value
        if len(value) == 10:
            return f"{date.fromisoformat(value):%d.%m.%Y}"
        return f"{datetime.fromisoformat(value):%d.%m.%Y %H:%M}"
    if isinstance(value, list):
        return ", ".join(str(shown_value(v)) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{audit.LABELS.get(k, k)}: {shown_value(v)}" for k, v in value.items() if v not in (None, ""))
    return value


def field_label(name: str) -> str:
    """German name of a changed field; ``exceptions[2024-05-16T14:00:00].new_start`` → ``Termin 16.05.2024 14:00: neuer Beginn``."""
    match = _ITEM.fullmatch(name)
    if match is None:
        return audit.LABELS.get(name, name)
    if match["list"] == "attendance":
        return f"Termin {shown_value(match['key'])}: Teilnehmende"
    if match["list"] == "exceptions":
        field = match["field"] or ""
        return f"Termin {shown_value(match['key'])}: {audit.LABELS.get(field, field)}".rstrip(": ")
    return audit.LABELS.get(match["list"], match["list"])


def history_row(entry: AuditEntry) -> HistoryRow:
    """One audit entry as the history tables show it."""
    return _row(entry)


def _row(entry: AuditEntry) -> HistoryRow:
    data = audit.entry_json(entry)
    changes = [
        Change(field_label(name), shown_value(pair[0]), shown_value(pair[1]))
        for name, pair in data["changes"].items()
        if name not in HIDDEN
    ]
    return HistoryRow(local_time(entry.at), entry.actor, entry.summary, changes)


def history_rows(object_type: str, object_id: int | None) -> list[HistoryRow]:
    """The object's entries, newest first, as the history table shows them."""
    if object_id is None:
        return []
    return [_row(e) for e in audit.history(get_session(), object_type, object_id)]


def recent_rows(object_type: str, limit: int = 30) -> list[HistoryRow]:
    """The newest entries of every object of a type (e.g. all closure days, whose rows come and go)."""
    query = (
        select(AuditEntry)
        .where(AuditEntry.object_type == object_type)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    return [_row(e) for e in get_session().scalars(query)]
