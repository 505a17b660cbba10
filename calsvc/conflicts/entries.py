"""The conflict list people read (/konflikte, the API, ``calsvc conflicts``): entries, hints, acknowledgements.

Runs :func:`calsvc.conflicts.service.conflicts_in_window`, folds the per-date notes of vacant
posts into one hint per post, groups the rest into one entry per clash
(:mod:`calsvc.conflicts.digest`), and hides what someone marked "zur Kenntnis genommen" — until
either meeting changes, because the acknowledgement is keyed by both meetings' versions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from calsvc.models import ConflictAck, Gremium, MeetingSeries, Membership, Person
from calsvc.schedule.specs import Occurrence

from .digest import Ack, Entry, VacancyHint, group, is_vacancy_note, with_key
from .service import DEFAULT_SETTINGS, ConflictSettings, conflicts_in_window, vacancies
from .sweep import Conflict, Vacancy

__all__ = ["ConflictDigest", "conflict_digest", "vacancy_hints"]


@dataclass(frozen=True, slots=True)
class ConflictDigest:
    """What a reader sees: entries and hints (acknowledged ones only when asked), and all conflicts."""

    entries: list[Entry]
    hints: list[VacancyHint]
    hidden: int
    conflicts: list[Conflict]


def conflict_digest(
    session: Session,
    start: date | datetime,
    end: date | datetime,
    *,
    person: str | None = None,
    gremium: str | None = None,
    settings: ConflictSettings = DEFAULT_SETTINGS,
    show_acknowledged: bool = False,
) -> ConflictDigest:
    """Entries and vacancy hints of ``[start, end)``; acknowledged ones hidden unless ``show_acknowledged``."""
    conflicts = conflicts_in_window(session, start, end, person=person, gremium=gremium, settings=settings)
    vacant = vacancies(session)
    notes = [c for c in conflicts if is_vacancy_note(c, vacant)]
    rest = [c for c in conflicts if not is_vacancy_note(c, vacant)]
    lo = start.date() if isinstance(start, datetime) else start
    hi = end.date() if isinstance(end, datetime) else end
    hints = vacancy_hints(session, lo, hi, person=person, gremium=gremium, notes=notes, vacant=vacant)
    entries = group(rest)
    versions = _versions(session, [o for e in entries for o in e.occurrences])
    keyed = [with_key(e, versions, {}) for e in entries]
    acks = _acks(session, [e.key for e in keyed] + [h.key for h in hints])
    keyed = [replace(e, acknowledged=acks.get(e.key)) for e in keyed]
    hints = [replace(h, acknowledged=acks.get(h.key)) for h in hints]
    shown_entries = [e for e in keyed if show_acknowledged or e.acknowledged is None]
    shown_hints = [h for h in hints if show_acknowledged or h.acknowledged is None]
    hidden = len(keyed) - len(shown_entries) + len(hints) - len(shown_hints)
    return ConflictDigest(shown_entries, shown_hints, hidden, conflicts)


def vacancy_hints(
    session: Session,
    lo: date,
    hi: date,
    *,
    person: str | None = None,
    gremium: str | None = None,
    notes: Iterable[Conflict] = (),
    vacant: Mapping[str, Vacancy] | None = None,
) -> list[VacancyHint]:
    """One hint per post vacant at some time in ``[lo, hi)`` that belongs to a Gremium (no meeting needed).

    ``vacant``: :func:`vacancies`, if the caller has read them already.
    """
    dates: dict[str, set[str]] = {}
    for note in notes:
        if note.person:
            dates.setdefault(note.person, set()).update(o.key for o in note.occurrences)
    in_scope = {
        code: vacancy
        for code, vacancy in (vacancies(session) if vacant is None else vacant).items()
        if (not person or code.lower() == person.lower()) and _overlaps(vacancy.start, vacancy.end, lo, hi)
    }
    if not in_scope:
        return []
    scope: list[ColumnElement[bool]] = [Person.vacant.is_(True)]
    if person:
        scope.append(func.lower(Person.code) == person.lower())
    if gremium:
        members = select(Membership.person_id).join(Gremium, Membership.gremium_id == Gremium.id)
        scope.append(Person.id.in_(members.where(Gremium.slug == gremium)))
    rows = session.execute(  # one query for all posts: nationally there are hundreds of vacant ones
        select(Person.code, Person.version, Gremium.name, Gremium.slug, Membership.role)
        .join(Membership, Membership.person_id == Person.id)
        .join(Gremium, Membership.gremium_id == Gremium.id)
        .where(*scope)
        .order_by(Person.code, Gremium.position, Gremium.name)
    ).all()
    memberships: dict[str, list[Any]] = {}
    for row in rows:
        memberships.setdefault(row.code, []).append(row)
    hints: list[VacancyHint] = []
    for code, vacancy in sorted(in_scope.items()):
        found = memberships.get(code, [])
        if not found or (gremium and gremium not in {row.slug for row in found}):
            continue
        member_of = tuple(row.name for row in found)
        leads = tuple(row.name for row in found if row.role == "lead")
        hint = VacancyHint(code, member_of, leads, len(dates.get(code, ())))
        version = found[0].version
        raw = "\n".join(["vacancy", code, str(version), str(vacancy.start), str(vacancy.end), *member_of, "|", *leads])
        hints.append(replace(hint, key=hashlib.sha256(raw.encode()).hexdigest()))
    return hints


def _overlaps(start: date | None, end: date | None, lo: date, hi: date) -> bool:
    return (start is None or start < hi) and (end is None or end >= lo)


def _versions(session: Session, found: Iterable[Occurrence]) -> dict[str, str]:
    """Per occurrence key: its series' version and sequence (both rise when the meeting changes)."""
    occurrences = [o for o in found if o.kind == "meeting"]
    ids = {o.source_id for o in occurrences}
    if not ids:
        return {}
    rows = session.execute(
        select(MeetingSeries.id, MeetingSeries.version, MeetingSeries.sequence).where(MeetingSeries.id.in_(ids))
    )
    by_id = {row.id: f"{row.version}.{row.sequence}" for row in rows}
    return {o.key: by_id.get(o.source_id, "") for o in occurrences}


def _acks(session: Session, keys: list[str]) -> dict[str, Ack]:
    if not keys:
        return {}
    rows = session.scalars(select(ConflictAck).where(ConflictAck.key.in_(keys)))
    return {row.key: Ack(row.actor, row.at) for row in rows}
