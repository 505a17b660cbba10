"""Meeting series of a Gremium and their per-occurrence exceptions.

Times are stored as naive *local wall time* in Europe/Berlin: a 10:00 meeting stays 10:00
across the DST switch, exactly as RFC 5545 ``DTSTART;TZID=Europe/Berlin`` means it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal, get_args

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .gremien import Gremium
from .people import Person

__all__ = [
    "SERIES_STATUSES",
    "AttendanceChange",
    "ExtraDate",
    "MeetingSeries",
    "SeriesException",
    "SeriesGuest",
    "SeriesParticipant",
    "SeriesStatus",
]


SeriesStatus = Literal["confirmed", "tentative", "cancelled"]
"""A whole meeting's status; a cancelled one leaves the feeds entirely."""
SERIES_STATUSES: tuple[SeriesStatus, ...] = get_args(SeriesStatus)


class MeetingSeries(Base):
    """A Gremium meeting, single (no ``rrule``) or recurring."""

    __tablename__ = "meeting_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    gremium_id: Mapped[int | None] = mapped_column(ForeignKey("gremium.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    dtstart: Mapped[datetime] = mapped_column(DateTime)
    duration_minutes: Mapped[int] = mapped_column(Integer, default=60)
    rrule: Mapped[str | None] = mapped_column(String(500))
    location: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[SeriesStatus] = mapped_column(String(12), default="confirmed")
    is_example: Mapped[bool] = mapped_column(Boolean, default=False)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    gremium: Mapped[Gremium | None] = relationship()
    participants: Mapped[list[SeriesParticipant]] = relationship(back_populates="series", cascade="all, delete-orphan")
    exceptions: Mapped[list[SeriesException]] = relationship(
        back_populates="series", cascade="all, delete-orphan", order_by="SeriesException.recurrence_id"
    )
    extra_dates: Mapped[list[ExtraDate]] = relationship(
        back_populates="series", cascade="all, delete-orphan", order_by="ExtraDate.start"
    )
    guests: Mapped[list[SeriesGuest]] = relationship(
        back_populates="series", cascade="all, delete-orphan", order_by="SeriesGuest.id"
    )
    attendance: Mapped[list[AttendanceChange]] = relationship(
        back_populates="series",
        cascade="all, delete-orphan",
        order_by="(AttendanceChange.recurrence_id, AttendanceChange.id)",
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def duration(self) -> timedelta:
        """The length of one occurrence."""
        return timedelta(minutes=self.duration_minutes)

    def participant_persons(self) -> list[Person]:
        """Explicit participants, or else the Gremium's members (leads first)."""
        if self.participants:
            return [p.person for p in self.participants]
        return self.gremium.members if self.gremium else []

    def __repr__(self) -> str:
        return f"<MeetingSeries {self.id} {self.title!r}>"


class SeriesParticipant(Base):
    """An explicit participant; when a series has none, the Gremium members take part."""

    __tablename__ = "series_participant"
    __table_args__ = (UniqueConstraint("series_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("meeting_series.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))

    series: Mapped[MeetingSeries] = relationship(back_populates="participants")
    person: Mapped[Person] = relationship(lazy="joined")


class SeriesGuest(Base):
    """An external guest of every date of a series (no code: guests have no feed and no conflicts)."""

    __tablename__ = "series_guest"

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("meeting_series.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200), default="")

    series: Mapped[MeetingSeries] = relationship(back_populates="guests")


class AttendanceChange(Base):
    """Who is (``present``) or is not there on one date only ("nur an diesem Termin").

    ``recurrence_id`` is the occurrence's original local start (an extra date's start). It names
    an internal person (``person_id``), a series guest who misses the date (``guest_id``), or a
    guest who comes to this date only (``name``/``email``/``organisation``).
    """

    __tablename__ = "attendance_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("meeting_series.id", ondelete="CASCADE"))
    recurrence_id: Mapped[datetime] = mapped_column(DateTime)
    present: Mapped[bool] = mapped_column(Boolean, default=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    guest_id: Mapped[int | None] = mapped_column(ForeignKey("series_guest.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str | None] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200), default="")

    series: Mapped[MeetingSeries] = relationship(back_populates="attendance")
    person: Mapped[Person | None] = relationship(lazy="joined")
    guest: Mapped[SeriesGuest | None] = relationship()


class SeriesException(Base):
    """One occurrence cancelled (EXDATE) or changed (RECURRENCE-ID override).

    ``recurrence_id`` is the original local start of the occurrence; ``new_*`` fields that
    are ``None`` keep the series' value.
    """

    __tablename__ = "series_exception"
    __table_args__ = (UniqueConstraint("series_id", "recurrence_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("meeting_series.id", ondelete="CASCADE"))
    recurrence_id: Mapped[datetime] = mapped_column(DateTime)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    new_start: Mapped[datetime | None] = mapped_column(DateTime)
    new_duration_minutes: Mapped[int | None] = mapped_column(Integer)
    new_location: Mapped[str | None] = mapped_column(String(300))
    note: Mapped[str] = mapped_column(Text, default="")
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    series: Mapped[MeetingSeries] = relationship(back_populates="exceptions")


class ExtraDate(Base):
    """An additional date of a series; published as a VEVENT of its own (Outlook ignores RDATE)."""

    __tablename__ = "extra_date"

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("meeting_series.id", ondelete="CASCADE"))
    start: Mapped[datetime] = mapped_column(DateTime)
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    location: Mapped[str | None] = mapped_column(String(300))
    note: Mapped[str] = mapped_column(Text, default="")
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    series: Mapped[MeetingSeries] = relationship(back_populates="extra_dates")
