"""The person and Gremium filter of a page: what the form offers and which value was chosen.

An office has a handful of persons and Gremien, a national database thousands. Below
:data:`SELECT_MAX` the form keeps its ``<select>``; above it the page shows a labelled text field
instead of writing thousands of options. Choices are read as column rows (one bounded query), the
chosen value is checked with one query, and an unknown value gets a 404 that lists at most
:data:`CLOSE_MATCHES` similar values and links to the full lists.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, NoReturn

from sqlalchemy import func, or_, select, true
from sqlalchemy.orm import InstrumentedAttribute, Session

from calsvc.errors import NotFound
from calsvc.models import Gremium, Person
from calsvc.schedule.store import require_gremium, require_person

from .errors import abort_not_found

__all__ = [
    "CLOSE_MATCHES",
    "SELECT_MAX",
    "Choices",
    "chosen_gremium",
    "chosen_person",
    "gremium_choices",
    "person_choices",
    "unknown",
]

SELECT_MAX = 400
"""Most options a filter ``<select>`` gets. Berlin (12 offices) has ~360 Gremien and stays a list;
a national database (~3,000 each) would write ~6,000 options (~400 KB) on every page view, which
nobody scrolls through and which cost more than the page's own data. Above this: a text field."""

CLOSE_MATCHES = 20
"""Most similar values a 404 lists when the full list is too long to show."""

NEIGHBOURS = 50
"""Values on either side of a typo in sort order that difflib ranks (bounds the 404's work)."""


@dataclass(frozen=True, slots=True)
class Choices:
    """What one filter field offers: ``options`` (value, label) for a ``<select>``, or a text field.

    ``options`` is empty when ``typed`` is true (more than :data:`SELECT_MAX` values);
    ``example`` is one real value for the text field's hint.
    """

    field: str
    options: tuple[tuple[str, str], ...]
    typed: bool
    example: str


@dataclass(frozen=True, slots=True)
class _Kind:
    """How one kind of choice is read: its value and label columns, its order, its wording."""

    field: str
    value: InstrumentedAttribute[str]
    label: InstrumentedAttribute[str]
    order: tuple[Any, ...]
    noun: str
    full_list: tuple[tuple[str, str], ...]


_PERSONS = _Kind(
    "person",
    Person.code,
    Person.title,
    (Person.is_external, Person.code),
    "Person",
    (("Alle Personen in der Übersicht", "/uebersicht#stellen"), ("Alle Personen als JSON", "/api/v1/persons")),
)
_GREMIEN = _Kind(
    "gremium",
    Gremium.slug,
    Gremium.name,
    (Gremium.position, Gremium.name),
    "Gremium",
    (("Alle Gremien in der Übersicht", "/uebersicht#gremien"), ("Alle Gremien als JSON", "/api/v1/gremien")),
)


def person_choices(session: Session) -> Choices:
    """Persons for the filter: ``Kürzel – Titel (unbesetzt)``, or a text field for many."""
    if typed := _typed(session, _PERSONS):
        return typed
    rows = session.execute(select(Person.code, Person.title, Person.vacant).order_by(*_PERSONS.order)).all()
    options = tuple(
        (code, f"{code}{f' – {title}' if title else ''}{' (unbesetzt)' if vacant else ''}")
        for code, title, vacant in rows
    )
    return Choices("person", options, False, options[0][0] if options else "")


def gremium_choices(session: Session) -> Choices:
    """Gremien for the filter by name, or a text field for many."""
    if typed := _typed(session, _GREMIEN):
        return typed
    options = tuple(_rows(session, _GREMIEN, true(), *_GREMIEN.order, limit=SELECT_MAX))
    return Choices("gremium", options, False, options[0][0] if options else "")


def _typed(session: Session, kind: _Kind) -> Choices | None:
    """The text field when there are more values than a ``<select>`` should carry, with the
    smallest value as its example (one aggregate query: no rows are read); else ``None``."""
    count, example = session.execute(select(func.count(), func.min(kind.value))).one()
    return Choices(kind.field, (), True, example or "") if count > SELECT_MAX else None


def chosen_person(session: Session, code: str) -> Person:
    """The person with ``code`` (as the plan spells it, case-insensitive), or a bounded 404."""
    try:
        return require_person(session, code)
    except NotFound as exc:
        unknown(session, "person", code, exc.message)


def chosen_gremium(session: Session, slug: str) -> Gremium:
    """The Gremium with ``slug``, or a bounded 404."""
    try:
        return require_gremium(session, slug)
    except NotFound as exc:
        unknown(session, "gremium", slug, exc.message)


def unknown(session: Session, field: Literal["person", "gremium"], typed: str, message: str) -> NoReturn:
    """404 naming ``field`` (person or gremium): every value while they fit a ``<select>``, else
    at most :data:`CLOSE_MATCHES` similar ones and links to the full lists."""
    kind = _PERSONS if field == "person" else _GREMIEN
    if _typed(session, kind) is None:
        abort_not_found(message, _rows(session, kind, true(), *kind.order, limit=SELECT_MAX), field=field)
    abort_not_found(message, close_matches(session, kind, typed), field=field, more=list(kind.full_list))


def close_matches(session: Session, kind: _Kind, typed: str) -> list[tuple[str, str]]:
    """At most :data:`CLOSE_MATCHES` values like ``typed``: those containing it, then difflib's
    best among the :data:`NEIGHBOURS` values either side of it in sort order (three queries)."""
    needle = typed.strip().lower()[:120]
    value, label = func.lower(kind.value), kind.label
    contains = or_(value.contains(needle, autoescape=True), func.lower(label).contains(needle, autoescape=True))
    found = _rows(session, kind, contains, value)
    if len(found) < CLOSE_MATCHES:
        after = _rows(session, kind, value >= needle, value, limit=NEIGHBOURS)
        before = _rows(session, kind, value < needle, value.desc(), limit=NEIGHBOURS)
        pool = {v.lower(): (v, text) for v, text in [*before, *after]}
        for hit in difflib.get_close_matches(needle, list(pool), n=CLOSE_MATCHES, cutoff=0.5):
            if pool[hit] not in found and len(found) < CLOSE_MATCHES:
                found.append(pool[hit])
    return found


def _rows(session: Session, kind: _Kind, where: Any, *order: Any, limit: int = CLOSE_MATCHES) -> list[tuple[str, str]]:
    """(value, label) rows of ``kind``; the label falls back to the value."""
    query = select(kind.value, kind.label).where(where).order_by(*order).limit(limit)
    rows: Sequence[Any] = session.execute(query).all()
    return [(v, text or v) for v, text in rows]
