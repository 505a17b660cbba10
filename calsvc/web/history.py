"""The change history as people read it: Berlin local times and German field names (entries are stored in UTC)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from calsvc.db import get_session
from calsvc.editing import audit
from calsvc.models import AuditEntry
from calsvc.schedule.walltime import BERLIN

__all__ = ["Change", "HistoryRow", "history_rows", "local_time"]

HIDDEN = ("version", "sequence")  # bookkeeping, not something a person changed


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


def _row(entry: AuditEntry) -> HistoryRow:
    data = audit.entry_json(entry)
    changes = [
        Change(audit.LABELS.get(name, name), pair[0], pair[1])
        for name, pair in data["changes"].items()
        if name not in HIDDEN
    ]
    return HistoryRow(local_time(entry.at), entry.actor, entry.summary, changes)


def history_rows(object_type: str, object_id: int | None) -> list[HistoryRow]:
    """The object's entries, newest first, as the history table shows them."""
    if object_id is None:
        return []
    return [_row(e) for e in audit.history(get_session(), object_type, object_id)]
