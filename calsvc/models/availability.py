"""When people cannot come: absences, outside calendars (busy times only) and known conflicts.

Absences are whole days (``start_day``..``end_day`` inclusive), optionally narrowed by a
start time on the first day and an end time on the last (naive Berlin wall time). Outside
calendars keep only busy intervals (aware instants stored as naive UTC): never a title, an
attendee or a description of someone's private appointments.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Literal, get_args

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .people import Person

__all__ = ["ABSENCE_KINDS", "ABSENCE_LABELS", "Absence", "AbsenceKind", "BusyInterval", "BusySource", "ConflictAck"]

AbsenceKind = Literal["urlaub", "dienstreise", "fortbildung", "krank"]
ABSENCE_KINDS: tuple[AbsenceKind, ...] = get_args(AbsenceKind)
ABSENCE_LABELS: dict[str, str] = {"urlaub": "Urlaub", "dienstreise": "Dienstreise", "fortbildung": "Fortbildung",
                                  "krank": "krank"}  # fmt: skip


class Absence(Base):
    """A person away for whole days, or part of the first/last day; others see only "abwesend"."""

    __tablename__ = "absence"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    kind: Mapped[AbsenceKind] = mapped_column(String(20))
    start_day: Mapped[date] = mapped_column(Date)
    end_day: Mapped[date] = mapped_column(Date)
    start_time: Mapped[time | None] = mapped_column(Time)
    end_time: Mapped[time | None] = mapped_column(Time)
    note: Mapped[str] = mapped_column(String(300), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    person: Mapped[Person] = relationship()

    __mapper_args__ = {"version_id_col": version}


class BusySource(Base):
    """A person's outside calendar: an ICS address fetched again and again, or one uploaded file."""

    __tablename__ = "busy_source"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    url: Mapped[str | None] = mapped_column(String(2000))
    last_sync_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_ok: Mapped[bool] = mapped_column(Boolean, default=False)
    last_message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    person: Mapped[Person] = relationship()
    intervals: Mapped[list[BusyInterval]] = relationship(
        back_populates="source", cascade="all, delete-orphan", passive_deletes=True
    )


class BusyInterval(Base):
    """One busy time of an outside calendar, ``[start, end)`` as naive UTC; nothing else is kept."""

    __tablename__ = "busy_interval"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("busy_source.id", ondelete="CASCADE"), index=True)
    start: Mapped[datetime] = mapped_column(DateTime, index=True)
    end: Mapped[datetime] = mapped_column(DateTime)

    source: Mapped[BusySource] = relationship(back_populates="intervals")


class ConflictAck(Base):
    """A conflict someone marked "zur Kenntnis genommen"; ``key`` changes when either meeting does."""

    __tablename__ = "conflict_ack"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    actor: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    summary: Mapped[str] = mapped_column(Text, default="")
