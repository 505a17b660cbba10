"""The audit trail: who changed what and when, written in the same transaction as the change."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from calsvc.models import AuditEntry

__all__ = ["Changes", "diff", "entry_json", "field_names", "history", "record", "snapshot"]

Changes = dict[str, list[Any]]

LABELS = {
    "gremium": "Gremium", "title": "Titel", "dtstart": "Beginn", "duration_minutes": "Dauer", "rrule": "Wiederholung",
    "location": "Ort", "description": "Beschreibung", "status": "Status", "code": "Kürzel", "name": "Name",
    "email": "E-Mail", "is_external": "extern", "vacant": "unbesetzt", "vacant_from": "unbesetzt ab",
    "vacant_until": "unbesetzt bis", "notes": "Notizen", "slug": "Kurzname", "level": "Ebene",
    "parent": "übergeordnetes Gremium", "members": "Mitglieder", "plan_year": "Planjahr", "number": "Nummer",
    "terminierung": "Terminierung", "responsible": "Verantwortlich", "periods": "Zeiträume",
    "new_start": "neuer Beginn", "new_duration_minutes": "neue Dauer", "new_location": "neuer Ort",
    "cancelled": "abgesagt", "note": "Notiz", "start": "Beginn", "exceptions_removed": "aufgehobene Abweichungen",
    "conflicts_confirmed": "bestätigte Konflikte", "progress": "Bearbeitungsstand", "extra_dates": "Zusatztermin",
    "invitations": "Einladungen",
    "feed_absences": "Abwesenheiten im Abo", "person": "Person", "end": "Ende", "start_time": "ab Uhrzeit",
    "end_time": "bis Uhrzeit", "day": "Tag", "reason": "Grund", "label": "Bezeichnung",
    "participants": "Teilnehmende", "guests": "Gäste", "attendance": "Teilnahme an diesem Termin",
}  # fmt: skip


def field_names(changes: Changes) -> str:
    """The changed fields in German for a summary line (bookkeeping fields left out)."""
    return ", ".join(LABELS.get(k, k) for k in changes if k not in ("sequence", "version"))


def _plain(value: Any) -> Any:
    """JSON-safe form of a field value (dates as ISO text)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def snapshot(obj: Any, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of ``fields`` of ``obj``, JSON-safe, for diffing after the change."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> Changes:
    """``{field: [old, new]}`` for every field whose value differs."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def record(
    session: Session,
    actor: str,
    object_type: str,
    object_id: int | None,
    action: str,
    summary: str,
    changes: Changes | None = None,
) -> AuditEntry:
    """Add an audit entry to the current transaction (it commits or rolls back with the change)."""
    entry = AuditEntry(
        actor=actor,
        object_type=object_type,
        object_id=object_id,
        action=action,
        summary=summary,
        changes=json.dumps({k: [_plain(v) for v in pair] for k, pair in (changes or {}).items()}, ensure_ascii=False),
    )
    session.add(entry)
    return entry


def history(session: Session, object_type: str, object_id: int, limit: int = 200) -> list[AuditEntry]:
    """The entries of one object, newest first."""
    query = (
        select(AuditEntry)
        .where(AuditEntry.object_type == object_type, AuditEntry.object_id == object_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def entry_json(entry: AuditEntry) -> dict[str, Any]:
    """One entry as the API and the pages show it."""
    return {
        "id": entry.id,
        "at": entry.at.isoformat() + "Z",
        "actor": entry.actor,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "action": entry.action,
        "summary": entry.summary,
        "changes": json.loads(entry.changes or "{}"),
    }
