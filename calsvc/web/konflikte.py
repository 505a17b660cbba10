"""The page ``/konflikte``: conflicts of a period, filtered by person or Gremium, linked to the agenda."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Blueprint, render_template, request
from sqlalchemy import select

from calsvc.config import conflict_settings
from calsvc.conflicts.service import conflicts_in_window
from calsvc.conflicts.sweep import KIND_LABELS, SEVERITY_LABELS, agenda_path, at_least, count_by_kind
from calsvc.db import get_session
from calsvc.errors import ValidationError
from calsvc.models import Gremium, Person

from .errors import abort_not_found

__all__ = ["bp"]

bp = Blueprint("konflikte", __name__)

DEFAULT_MONTHS = 3
MAX_DAYS = 5 * 366


def _day(name: str, alias: str, default: date) -> date:
    """A ``JJJJ-MM-TT`` query parameter (``von``/``bis`` as documented, or ``from``/``to``); 422 when malformed."""
    if not request.args.get(name) and request.args.get(alias):
        name = alias
    raw = request.args.get(name) or ""
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(f"„{raw}“ ist kein Datum im Format JJJJ-MM-TT.", field=name) from None


def _default_window(today: date) -> tuple[date, date]:
    """From the first of this month to the end of the month after next."""
    first = today.replace(day=1)
    month = first.month - 1 + DEFAULT_MONTHS
    after = date(first.year + month // 12, month % 12 + 1, 1)
    return first, after - timedelta(days=1)


@bp.get("/konflikte")
def konflikte() -> Any:
    """Conflicts in [von, bis] (both inclusive), optionally of one person or Gremium."""
    session = get_session()
    persons = session.scalars(select(Person).order_by(Person.is_external, Person.code)).all()
    gremien = session.scalars(select(Gremium).order_by(Gremium.position, Gremium.name)).all()
    person = request.args.get("person") or None
    gremium = request.args.get("gremium") or None
    if person and person.lower() not in {p.code.lower() for p in persons}:
        abort_not_found(f"Die Person „{person}“ gibt es nicht.", [(p.code, p.title or p.code) for p in persons])
    if gremium and gremium not in {g.slug for g in gremien}:
        abort_not_found(f"Das Gremium „{gremium}“ gibt es nicht.", [(g.slug, g.name) for g in gremien])
    default_from, default_to = _default_window(date.today())
    first, last = _day("von", "from", default_from), _day("bis", "to", default_to)
    if last < first:
        raise ValidationError("„bis“ liegt vor „von“.", field="bis")
    if (last - first).days > MAX_DAYS or first.year < 1990 or last.year > 2100:
        raise ValidationError("Der Zeitraum darf höchstens fünf Jahre zwischen 1990 und 2100 umfassen.", field="bis")
    severity = request.args.get("severity") or None
    found = conflicts_in_window(
        session, first, last + timedelta(days=1), person=person, gremium=gremium, settings=conflict_settings()
    )
    found = at_least(found, severity)
    return render_template(
        "konflikte.html",
        conflicts=found,
        counts=count_by_kind(found),
        persons=persons,
        gremien=gremien,
        person=person,
        gremium=gremium,
        severity=severity,
        first=first,
        last=last,
        api_query={k: v for k, v in {"person": person, "gremium": gremium, "severity": severity}.items() if v}
        | {"from": first.isoformat(), "to": (last + timedelta(days=1)).isoformat()},
        kind_labels=KIND_LABELS,
        severity_labels=SEVERITY_LABELS,
        agenda_path=agenda_path,
    )
