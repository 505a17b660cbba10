"""Planned activities (plan section 3) with fuzzy periods, and ongoing tasks (section 1)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal, get_args

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .gremien import Gremium
from .people import Person

__all__ = ["STATUSES", "Activity", "ActivityPeriod", "ActivityProgress", "OngoingTask", "Status"]


Status = Literal["geplant", "in Arbeit", "erledigt", "verschoben", "entfallen"]
"""Progress of an activity as the quarterly report names it."""
STATUSES: tuple[Status, ...] = get_args(Status)


activity_responsible = Table(
    "activity_responsible",
    Base.metadata,
    Column("activity_id", ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("person.id", ondelete="CASCADE"), primary_key=True),
)


class Activity(Base):
    """A planned activity; ``terminierung`` is the plan's text verbatim, periods its meaning."""

    __tablename__ = "activity"
    __table_args__ = (UniqueConstraint("plan_year", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    terminierung: Mapped[str] = mapped_column(String(300), default="")
    ongoing: Mapped[bool] = mapped_column(Boolean, default=False)
    tentative: Mapped[bool] = mapped_column(Boolean, default=False)
    unscheduled: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[Status] = mapped_column(String(20), default="geplant")
    # the plan year this unfinished activity was carried over from ("Arbeitsplan 2025 anlegen")
    carried_from_year: Mapped[int | None] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    responsible: Mapped[list[Person]] = relationship(
        secondary=activity_responsible, order_by="Person.id", lazy="selectin"
    )
    periods: Mapped[list[ActivityPeriod]] = relationship(
        back_populates="activity",
        cascade="all, delete-orphan",
        order_by="ActivityPeriod.position",
        lazy="selectin",
    )
    progress: Mapped[list[ActivityProgress]] = relationship(
        back_populates="activity",
        cascade="all, delete-orphan",
        order_by="(ActivityProgress.day, ActivityProgress.id)",
    )

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Activity {self.plan_year}/{self.number}>"


class ActivityPeriod(Base):
    """One period an activity's Terminierung means; ``end`` is inclusive."""

    __tablename__ = "activity_period"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    precision: Mapped[str] = mapped_column(String(10))
    focus: Mapped[bool] = mapped_column(Boolean, default=False)

    activity: Mapped[Activity] = relationship(back_populates="periods")


class ActivityProgress(Base):
    """A dated status note: the history behind the quarterly Abarbeitungsstand."""

    __tablename__ = "activity_progress"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    status: Mapped[Status] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    activity: Mapped[Activity] = relationship(back_populates="progress")


class OngoingTask(Base):
    """A standing task from plan section 1, linked to its Gremium where one exists."""

    __tablename__ = "ongoing_task"
    __table_args__ = (UniqueConstraint("plan_year", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_year: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    gremium_id: Mapped[int | None] = mapped_column(ForeignKey("gremium.id", ondelete="SET NULL"))

    gremium: Mapped[Gremium | None] = relationship()
