"""What the outbox says each recipient has of a series: who holds which UID, and what they got last.

A recipient "holds" a UID when their latest message about the whole UID was a REQUEST (a
single-date CANCEL does not take the meeting away). ``latest`` is the newest message per
recipient, UID and instance: news equal to it is not queued again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from calsvc.models import OutboxMessage

from .letters import calendar_of
from .recipients import Recipient

__all__ = ["Ledger", "Sent", "ledger"]


@dataclass(frozen=True, slots=True)
class Sent:
    """The newest message to one recipient about one UID and instance."""

    id: int
    content_hash: str


@dataclass
class Ledger:
    """The state :func:`ledger` read; ``requests`` holds the newest REQUEST's calendar per UID."""

    holders: dict[tuple[str, str], Recipient] = field(default_factory=dict)
    latest: dict[tuple[str, str, str | None], Sent] = field(default_factory=dict)
    requests: dict[str, bytes] = field(default_factory=dict)

    def has(self, email: str, uid: str) -> bool:
        """Does ``email`` hold the meeting ``uid`` (got its REQUEST, no CANCEL of it since)?"""
        return (email.lower(), uid) in self.holders

    def last(self, email: str, uid: str, recurrence_id: str | None) -> Sent | None:
        """The newest message to ``email`` about this UID and instance, if any."""
        return self.latest.get((email.lower(), uid, recurrence_id))

    def holders_of(self, uid: str) -> list[Recipient]:
        """Who holds ``uid``, by address."""
        return [r for (_email, u), r in sorted(self.holders.items()) if u == uid]


def ledger(session: Session, series_id: int) -> Ledger:
    """Read the outbox rows of one series (oldest first) into a :class:`Ledger`."""
    state = Ledger()
    newest_request: dict[str, int] = {}
    rows = session.execute(
        select(
            OutboxMessage.id,
            OutboxMessage.uid,
            OutboxMessage.recurrence_id,
            OutboxMessage.method,
            OutboxMessage.recipient,
            OutboxMessage.recipient_name,
            OutboxMessage.content_hash,
        )
        .where(OutboxMessage.series_id == series_id)
        .order_by(OutboxMessage.id)
    )
    for row_id, uid, rid, method, email, name, key in rows:
        state.latest[(email.lower(), uid, rid)] = Sent(row_id, key)
        if rid is not None:
            continue
        if method == "REQUEST":
            state.holders[(email.lower(), uid)] = Recipient(name=name, email=email)
            newest_request[uid] = row_id
        else:
            state.holders.pop((email.lower(), uid), None)
    for uid, row_id in newest_request.items():
        message = session.scalar(select(OutboxMessage.message).where(OutboxMessage.id == row_id))
        state.requests[uid] = calendar_of(message or "")
    return state
