"""Marking a conflict "zur Kenntnis genommen" (and taking that back), audited.

The key comes from :mod:`calsvc.conflicts.digest`: it covers both meetings' versions, so an
acknowledgement stops matching — and the entry is shown again — as soon as either meeting changes.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from calsvc.errors import ValidationError
from calsvc.models import ConflictAck

from .audit import record

__all__ = ["acknowledge", "unacknowledge"]


def acknowledge(session: Session, actor: str, key: str, summary: str) -> ConflictAck:
    """Mark the entry or hint with ``key`` "zur Kenntnis genommen" (audited); repeating is harmless."""
    if len(key) != 64 or any(c not in "0123456789abcdef" for c in key):
        raise ValidationError("Unbekannter Konflikt-Schlüssel.", field="key")
    existing = session.scalar(select(ConflictAck).where(ConflictAck.key == key))
    if existing is not None:
        return existing
    ack = ConflictAck(key=key, actor=actor, summary=summary[:2000])
    session.add(ack)
    session.flush()
    record(session, actor, "conflict", ack.id, "acknowledge", f"Zur Kenntnis genommen: {summary[:500]}")
    return ack


def unacknowledge(session: Session, actor: str, key: str) -> None:
    """Show the entry again (audited)."""
    ack = session.scalar(select(ConflictAck).where(ConflictAck.key == key))
    if ack is None:
        return
    record(session, actor, "conflict", ack.id, "unacknowledge", f"Wieder offen: {ack.summary[:500]}")
    session.execute(delete(ConflictAck).where(ConflictAck.id == ack.id))
