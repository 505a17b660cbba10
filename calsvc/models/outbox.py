"""Invitation e-mails (iMIP) as sent or waiting: the outbox editors read, and the record of delivery.

A row is written before any delivery is tried, so a message is never lost: without mail
settings it stays ``pending`` (editors download it as .eml), with SMTP it becomes ``sent`` or
``failed`` (kept with the error, retryable). ``series_id`` is no foreign key: the CANCEL of a
deleted series must outlive it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, get_args

from sqlalchemy import DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow

__all__ = ["OUTBOX_STATUSES", "OutboxMessage", "OutboxStatus"]

OutboxStatus = Literal["pending", "sent", "failed"]
OUTBOX_STATUSES: tuple[OutboxStatus, ...] = get_args(OutboxStatus)


class OutboxMessage(Base):
    """One e-mail to one recipient carrying one iTIP object (REQUEST or CANCEL)."""

    __tablename__ = "outbox_message"
    __table_args__ = (UniqueConstraint("content_hash", "previous_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    series_id: Mapped[int | None] = mapped_column(Integer, index=True)
    uid: Mapped[str] = mapped_column(String(300))
    recurrence_id: Mapped[str | None] = mapped_column(String(40))
    method: Mapped[str] = mapped_column(String(10))
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    recipient: Mapped[str] = mapped_column(String(320))
    recipient_name: Mapped[str] = mapped_column(String(300), default="")
    subject: Mapped[str] = mapped_column(String(500))
    # sha256 of recipient, METHOD and calendar object without DTSTAMP; ``previous_id`` is the row
    # this one follows for the same recipient, UID and instance (0: the first). Unique together, so
    # the same news is never queued twice after the same message, even by two presses at once.
    content_hash: Mapped[str] = mapped_column(String(64))
    previous_id: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(Text)  # the whole RFC 5322 message, as downloaded (.eml)
    status: Mapped[OutboxStatus] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
