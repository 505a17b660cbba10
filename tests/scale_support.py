"""Many persons and Gremien in one transaction: pages at the size of a national database, quickly."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from calsvc.db import session_scope
from calsvc.models import Gremium, Person

__all__ = ["add_persons_and_gremien", "filler_code", "filler_slug"]


def filler_code(i: int) -> str:
    """The code of the ``i``-th added person: ``N0001``, …"""
    return f"N{i:04d}"


def filler_slug(i: int) -> str:
    """The slug of the ``i``-th added Gremium: ``n0001-runde``, …"""
    return f"n{i:04d}-runde"


def add_persons_and_gremien(app: Flask, *, persons: int, gremien: int) -> None:
    """Add persons and Gremien (without meetings) until there are ``persons`` and ``gremien`` of each."""
    with app.app_context(), session_scope(app) as s:
        have_persons = s.scalar(select(func.count()).select_from(Person)) or 0
        have_gremien = s.scalar(select(func.count()).select_from(Gremium)) or 0
        s.add_all(Person(code=filler_code(i), title=f"Stelle {i}") for i in range(1, persons - have_persons + 1))
        s.add_all(Gremium(slug=filler_slug(i), name=f"Runde {i}") for i in range(1, gremien - have_gremien + 1))
