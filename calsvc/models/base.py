"""Declarative base, naming convention and the timestamp helpers every model shares."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import MetaData, event
from sqlalchemy.orm import DeclarativeBase, Mapper

__all__ = ["Base", "drop_nul", "utcnow"]

# Stable constraint names, so Alembic migrations work on SQLite (batch mode) and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of all calsvc tables."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """Now as a naive UTC datetime: what we store (SQLite keeps no zone), UTC by convention."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def drop_nul(value: Any) -> Any:
    """A string without NUL characters (other values unchanged)."""
    return value.replace("\x00", "") if isinstance(value, str) and "\x00" in value else value


@event.listens_for(Base, "before_insert", propagate=True)
@event.listens_for(Base, "before_update", propagate=True)
def _drop_nul_characters(_mapper: Mapper[Any], _connection: Any, target: Base) -> None:
    """PostgreSQL cannot store NUL in text: drop it on every database alike (backups stay portable)."""
    loaded = target.__dict__  # only values already in memory: no lazy loads inside a flush
    for key, value in list(loaded.items()):
        if isinstance(value, str) and "\x00" in value:
            setattr(target, key, drop_nul(value))
