"""Gremien (committees) and who leads or attends them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .people import Person

__all__ = ["Gremium", "Level", "Membership", "Role"]


class Level(StrEnum):
    """Where a Gremium sits: in the district or above it (Land Berlin)."""

    BEZIRKLICH = "bezirklich"
    UEBERBEZIRKLICH = "überbezirklich"


class Role(StrEnum):
    """A person's role in a Gremium; the plan marks leads with ``(L)``."""

    LEAD = "lead"
    MEMBER = "member"


class Gremium(Base):
    """A committee from plan section 2; AGs of the Beirat PartInt have it as ``parent``."""

    __tablename__ = "gremium"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    level: Mapped[str] = mapped_column(String(20), default=Level.BEZIRKLICH.value)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("gremium.id", ondelete="SET NULL"))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    parent: Mapped[Gremium | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Gremium]] = relationship(back_populates="parent")
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="gremium", cascade="all, delete-orphan", order_by="Membership.id"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def leads(self) -> list[Person]:
        """The persons marked ``(L)``."""
        return [m.person for m in self.memberships if m.role == Role.LEAD]

    @property
    def members(self) -> list[Person]:
        """Everybody in the Gremium, leads first."""
        ordered = sorted(self.memberships, key=lambda m: (m.role != Role.LEAD, m.id or 0))
        return [m.person for m in ordered]

    def __repr__(self) -> str:
        return f"<Gremium {self.slug}>"


class Membership(Base):
    """One person in one Gremium, as lead or member."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("gremium_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    gremium_id: Mapped[int] = mapped_column(ForeignKey("gremium.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(10), default=Role.MEMBER.value)

    gremium: Mapped[Gremium] = relationship(back_populates="memberships")
    person: Mapped[Person] = relationship(lazy="joined")
