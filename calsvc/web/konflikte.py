"""The page ``/konflikte``: conflicts worth reading — one entry per clash, one hint per vacant post.

Each entry links to the dates' edit pages and to free slots to move it, and can be marked
"zur Kenntnis genommen" (then hidden until either meeting changes; ``?alle=1`` shows them).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from calsvc.config import conflict_settings
from calsvc.conflicts.digest import Entry, reaches
from calsvc.conflicts.entries import conflict_digest
from calsvc.conflicts.service import free_slots
from calsvc.conflicts.sweep import KIND_LABELS, SEVERITY_LABELS, agenda_path, at_least, people_of
from calsvc.db import get_session
from calsvc.editing.conflict_acks import acknowledge, unacknowledge
from calsvc.errors import ValidationError
from calsvc.schedule.bounds import window_problem

from .auth import current_user, editor_required
from .filter_choices import chosen_gremium, chosen_person, gremium_choices, person_choices

__all__ = ["bp"]

bp = Blueprint("konflikte", __name__)

DEFAULT_MONTHS = 3
SLOT_DAYS = 14
PER_DAY = 3


def _spread(slots: list[tuple[datetime, datetime]], per_day: int) -> list[tuple[datetime, datetime]]:
    """At most ``per_day`` slots a day, none overlapping the one before: choices across the days, not 15-minute steps."""
    chosen: list[tuple[datetime, datetime]] = []
    for start, end in slots:
        same_day = [s for s in chosen if s[0].date() == start.date()]
        if len(same_day) < per_day and (not same_day or start >= same_day[-1][1]):
            chosen.append((start, end))
    return chosen


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
    persons, gremien = person_choices(session), gremium_choices(session)
    code, slug = (request.args.get("person") or "").strip(), (request.args.get("gremium") or "").strip()
    person = chosen_person(session, code).code if code else None
    gremium = chosen_gremium(session, slug).slug if slug else None
    default_from, default_to = _default_window(date.today())
    first, last = _day("von", "from", default_from), _day("bis", "to", default_to)
    if problem := window_problem(first, last):
        raise ValidationError(problem, field="bis")
    severity = request.args.get("severity") or None
    show_all = request.args.get("alle") == "1"
    digest = conflict_digest(
        session,
        first,
        last + timedelta(days=1),
        person=person,
        gremium=gremium,
        settings=conflict_settings(),
        show_acknowledged=show_all,
    )
    shown = at_least(digest.conflicts, severity)  # also refuses an unknown severity (422)
    entries = [e for e in digest.entries if at_least(e.conflicts, severity)]
    hints = [h for h in digest.hints if reaches(h.severity, severity)]
    query = {k: v for k, v in {"person": person, "gremium": gremium, "severity": severity}.items() if v}
    return render_template(
        "konflikte.html",
        entries=entries,
        hints=hints,
        hidden=digest.hidden,
        show_all=show_all,
        counts=_entry_counts(entries),
        raw_count=len(shown),
        persons=persons,
        gremien=gremien,
        person=person,
        gremium=gremium,
        severity=severity,
        first=first,
        last=last,
        page_query=query | {"von": first.isoformat(), "bis": last.isoformat()},
        api_query=query | {"from": first.isoformat(), "to": (last + timedelta(days=1)).isoformat()},
        kind_labels=KIND_LABELS,
        severity_labels=SEVERITY_LABELS,
        agenda_path=agenda_path,
        people_of=people_of,
    )


def _entry_counts(entries: list[Entry]) -> dict[str, int]:
    """How many entries have each reason (an entry with two reasons counts for both)."""
    counts = Counter(kind for entry in entries for kind in entry.kinds)
    return {kind: counts[kind] for kind in KIND_LABELS if counts[kind]}


def _back() -> str:
    """Back to the list the form came from (same-site paths only)."""
    target = request.form.get("zurueck") or ""
    return target if target.startswith("/konflikte") and "//" not in target else url_for(".konflikte")


@bp.post("/konflikte/kenntnis")
@editor_required
def acknowledge_entry() -> Any:
    """Mark an entry or hint "zur Kenntnis genommen"; it is hidden until a meeting in it changes."""
    user = current_user()
    session = get_session()
    acknowledge(session, user.name if user else "?", request.form.get("key", ""), request.form.get("summary", ""))
    session.commit()
    flash("Zur Kenntnis genommen. Der Eintrag erscheint wieder, sobald sich einer der Termine ändert.", "info")
    return redirect(_back())


@bp.post("/konflikte/kenntnis/zuruecknehmen")
@editor_required
def unacknowledge_entry() -> Any:
    """Show an acknowledged entry again."""
    user = current_user()
    session = get_session()
    unacknowledge(session, user.name if user else "?", request.form.get("key", ""))
    session.commit()
    flash("Der Eintrag wird wieder angezeigt.", "info")
    return redirect(_back())


@bp.get("/konflikte/freie-zeiten")
def free_times() -> Any:
    """Free slots for the people of a conflict, from its day on, to move one of its dates."""
    codes = [c.strip() for c in (request.args.get("personen") or "").split(",") if c.strip()][:20]
    try:
        minutes = int(request.args.get("dauer") or "60")
    except ValueError:
        raise ValidationError("„dauer“ muss eine ganze Zahl (Minuten) sein.", field="dauer") from None
    if not 5 <= minutes <= 24 * 60:
        raise ValidationError("„dauer“ muss zwischen 5 und 1440 Minuten liegen.", field="dauer")
    start = _day("ab", "from", date.today())
    edit = request.args.get("bearbeiten") or ""
    edit = edit if edit.startswith("/bearbeiten/") and "//" not in edit else ""
    found = free_slots(
        get_session(), codes, minutes, start, start + timedelta(days=SLOT_DAYS), limit=200, settings=conflict_settings()
    )
    slots = _spread(found, PER_DAY)
    return render_template(
        "konflikte_slots.html", slots=slots, codes=codes, minutes=minutes, start=start, days=SLOT_DAYS, edit=edit
    )
