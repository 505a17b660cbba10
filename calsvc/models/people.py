"""Staff posts and persons: IntB, Int1, the vacant Int2, Büroassistenz, external people."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow

__all__ = ["Person"]


class Person(Base):
    """A post of the office (or an external person) as the plan names it by code.

    A post can be vacant for a time (``Int2 (V)``): vacancy is the closed interval
    ``vacant_from``..``vacant_until``, either end open when ``None`` (both ``None`` and
    ``vacant`` true means vacant indefinitely).
    """

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    is_external: Mapped[bool] = mapped_column(Boolean, default=False)
    vacant: Mapped[bool] = mapped_column(Boolean, default=False)
    vacant_from: Mapped[date | None] = mapped_column(Date)
    vacant_until: Mapped[date | None] = mapped_column(Date)
    feed_token_hash: Mapped[str | None] = mapped_column(String(128), unique=True)
    # Opt-in: the person's own (secret) feed also carries their absences.
    feed_absences: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    notes: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}

    def display(self) -> str:
        """Code plus name where known, e.g. ``IntB (Irina Warkentin)``."""
        return f"{self.code} ({self.name})" if self.name else self.code

    def __repr__(self) -> str:
        return f"<Person {self.code}>"
