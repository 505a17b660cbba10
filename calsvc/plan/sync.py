"""Bring the database in line with a checked plan, one kind at a time, noting every difference.

Policies (the plan is the source for what it states, users own the rest):

* **Persons** are matched by code and never removed. A name the plan states overwrites the
  stored one; a title only fills an empty one; ``(V)`` marks the post vacant (the absence of
  ``(V)`` does not end a vacancy — the plan cannot say when it ended, users set the dates);
  e-mail, feed token and notes are never touched; ``external`` is set on creation only.
* **Gremien** are matched by slug. Name, level, parent, position and memberships follow the
  plan (memberships are replaced by the plan's). Gremien missing from the plan are kept and
  reported: meeting series and subscribed feed URLs hang on them.
* **Activities** are matched by (plan year, number). Title, responsible persons and the
  Terminierung follow the plan; periods and flags are replaced when their meaning changed;
  ``sequence`` rises when anything a subscriber sees changed. Status and progress notes stay.
  Activities of the year missing from the plan are removed (with their progress) and reported.
* **Ongoing tasks** are matched by (plan year, position), linked to their Gremium; missing
  ones are removed.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from calsvc.fuzzydates import Terminierung
from calsvc.models import Activity, ActivityPeriod, Gremium, MeetingSeries, Membership, OngoingTask, Person, Role
from calsvc.models.slugs import slugify

from .document import PlanDocument
from .report import ImportReport
from .rules import task_gremium

__all__ = ["sync_activities", "sync_gremien", "sync_ongoing_tasks", "sync_persons"]

_ROLE_LABEL = {Role.LEAD.value: "Leitung", Role.MEMBER.value: "Teilnahme"}


def _note(report: ImportReport, first_import: bool, text: str) -> None:
    if not first_import:
        report.differences.append(text)


def sync_persons(session: Session, doc: PlanDocument, report: ImportReport) -> dict[str, Person]:
    """Create or update the posts the plan names; returns every person by code."""
    persons = {p.code: p for p in session.scalars(select(Person))}
    first = not persons
    for row in doc.persons:
        person = persons.get(row.code)
        if person is None:
            person = Person(code=row.code, title=row.title, name=row.name, vacant=row.vacant, is_external=row.external)
            session.add(person)
            persons[row.code] = person
            report.persons.created += 1
            _note(report, first, f"Person {row.code} neu")
            continue
        changes = []
        if row.title and not person.title:
            person.title = row.title
            changes.append(f"Bezeichnung „{row.title}“")
        if row.name and person.name != row.name:
            changes.append(f"Name „{person.name or ''}“ → „{row.name}“")
            person.name = row.name
        if row.vacant and not person.vacant:
            person.vacant = True
            changes.append("jetzt unbesetzt")
        report.persons.updated += bool(changes)
        report.persons.unchanged += not changes
        report.differences.extend(f"Person {row.code}: {change}" for change in changes)
    return persons


def sync_gremien(
    session: Session, doc: PlanDocument, persons: Mapping[str, Person], report: ImportReport
) -> dict[str, Gremium]:
    """Create or update the Gremien table; returns every Gremium by slug."""
    gremien = {g.slug: g for g in session.scalars(select(Gremium))}
    first = not gremien
    created: set[str] = set()
    changed: set[str] = set()
    for row in doc.gremien:
        gremium = gremien.get(row.slug)
        if gremium is None:
            gremium = Gremium(slug=row.slug, name=row.name, level=row.level, position=row.position)
            session.add(gremium)
            gremien[row.slug] = gremium
            report.gremien.created += 1
            _note(report, first, f"Gremium „{row.name}“ neu")
            created.add(row.slug)
            continue
        label = f"Gremium „{row.name}“"
        for attr, value, what in (("name", row.name, "Name"), ("level", row.level, "Ebene")):
            if getattr(gremium, attr) != value:
                report.differences.append(f"{label}: {what} „{getattr(gremium, attr)}“ → „{value}“")
                setattr(gremium, attr, value)
                changed.add(row.slug)
        if gremium.position != row.position:
            gremium.position = row.position  # the order in the plan; not worth a line of its own
            changed.add(row.slug)
    for row in doc.gremien:
        gremium = gremien[row.slug]
        parent = gremien[slugify(row.parent_name)] if row.parent_name else None
        new = row.slug in created
        if gremium.parent is not parent and not new:
            old = gremium.parent.name if gremium.parent else "—"
            report.differences.append(f"Gremium „{row.name}“: übergeordnet „{old}“ → „{row.parent_name or '—'}“")
            changed.add(row.slug)
        gremium.parent = parent
        if _sync_memberships(gremium, row.members, persons, report, new=new) and not new:
            changed.add(row.slug)
    for row in doc.gremien:
        if row.slug in changed:
            report.gremien.updated += 1
            _bump_series(session, gremien[row.slug])
        elif row.slug not in created:
            report.gremien.unchanged += 1
    by_name = {g.name: slug for slug, g in gremien.items()}
    planned = {row.slug for row in doc.gremien} | {task_gremium(t.title, by_name) for t in doc.ongoing_tasks}
    for slug, gremium in gremien.items():
        if slug not in planned:
            report.gremien.kept += 1
            report.differences.append(f"Gremium „{gremium.name}“ steht nicht mehr im Plan (bleibt erhalten)")
    return gremien


def _sync_memberships(
    gremium: Gremium,
    members: tuple[tuple[str, bool], ...],
    persons: Mapping[str, Person],
    report: ImportReport,
    *,
    new: bool,
) -> bool:
    """Make the memberships exactly the plan's; True when something changed."""
    wanted = {code: (Role.LEAD.value if lead else Role.MEMBER.value) for code, lead in members}
    current = {m.person.code: m for m in gremium.memberships}
    label = f"Gremium „{gremium.name}“"
    notes: list[str] = []
    for code, membership in current.items():
        if code not in wanted:
            gremium.memberships.remove(membership)
            notes.append(f"{label}: {code} nicht mehr dabei")
        elif membership.role != wanted[code]:
            notes.append(f"{label}: {code} {_ROLE_LABEL[membership.role]} → {_ROLE_LABEL[wanted[code]]}")
            membership.role = wanted[code]
    for code, role in wanted.items():
        if code not in current:
            gremium.memberships.append(Membership(person=persons[code], role=role))
            notes.append(f"{label}: {code} neu ({_ROLE_LABEL[role]})")
    if not new:
        report.differences.extend(notes)
    return bool(notes)


def _bump_series(session: Session, gremium: Gremium) -> None:
    """Meetings show the Gremium's name and members: tell subscribers' clients to refresh them."""
    for series in session.scalars(select(MeetingSeries).where(MeetingSeries.gremium_id == gremium.id)):
        series.sequence += 1


def _meaning(term: Terminierung) -> tuple[object, ...]:
    periods = tuple((p.start, p.end, str(p.precision), p.focus) for p in term.periods)
    return periods, term.ongoing, term.tentative, term.unscheduled


def _stored_meaning(activity: Activity) -> tuple[object, ...]:
    periods = tuple((p.start, p.end, p.precision, p.focus) for p in activity.periods)
    return periods, activity.ongoing, activity.tentative, activity.unscheduled


def _set_terminierung(activity: Activity, term: Terminierung) -> None:
    activity.terminierung = term.raw
    activity.ongoing, activity.tentative, activity.unscheduled = term.ongoing, term.tentative, term.unscheduled
    activity.periods = [
        ActivityPeriod(position=i, start=p.start, end=p.end, precision=str(p.precision), focus=p.focus)
        for i, p in enumerate(term.periods)
    ]


def sync_activities(
    session: Session,
    doc: PlanDocument,
    terms: Mapping[int, Terminierung],
    persons: Mapping[str, Person],
    report: ImportReport,
) -> None:
    """Create, update or remove the plan year's activities."""
    existing = {a.number: a for a in session.scalars(select(Activity).where(Activity.plan_year == doc.year))}
    first = not existing
    for row in doc.activities:
        term, label = terms[row.number], f"Aktivität {row.number}"
        responsible = [persons[code] for code in row.responsible]
        activity = existing.pop(row.number, None)
        if activity is None:
            activity = Activity(plan_year=doc.year, number=row.number, title=row.title, responsible=responsible)
            _set_terminierung(activity, term)
            session.add(activity)
            report.activities.created += 1
            _note(report, first, f"{label} neu: „{row.title}“")
            continue
        changes = []
        if activity.title != row.title:
            changes.append(f"Titel „{activity.title}“ → „{row.title}“")
            activity.title = row.title
        old_codes = sorted(p.code for p in activity.responsible)
        if old_codes != sorted(row.responsible):
            changes.append(f"Zuständigkeit „{', '.join(old_codes)}“ → „{', '.join(sorted(row.responsible))}“")
            activity.responsible = responsible
        if activity.terminierung != term.raw:
            changes.append(f"Terminierung „{activity.terminierung}“ → „{term.raw}“")
        elif _stored_meaning(activity) != _meaning(term):
            changes.append(f"Terminierung „{term.raw}“ neu gelesen")
        if activity.terminierung != term.raw or _stored_meaning(activity) != _meaning(term):
            _set_terminierung(activity, term)
        if changes:
            activity.sequence += 1
            report.activities.updated += 1
            report.differences.extend(f"{label}: {change}" for change in changes)
        else:
            report.activities.unchanged += 1
    for number, activity in sorted(existing.items()):
        session.delete(activity)
        report.activities.removed += 1
        report.differences.append(f"Aktivität {number} „{activity.title}“ entfernt (nicht mehr im Plan)")


def sync_ongoing_tasks(
    session: Session, doc: PlanDocument, gremien: Mapping[str, Gremium], report: ImportReport
) -> None:
    """Create, update or remove the plan year's ongoing tasks, linked to their Gremien."""
    query = select(OngoingTask).where(OngoingTask.plan_year == doc.year)
    existing = {t.position: t for t in session.scalars(query)}
    first = not existing
    by_name = {g.name: slug for slug, g in gremien.items()}  # section-1 meetings may have Gremien made by hand
    for row in doc.ongoing_tasks:
        slug = row.gremium_slug or task_gremium(row.title, by_name)
        gremium = gremien.get(slug) if slug else None
        task = existing.pop(row.position, None)
        if task is None:
            session.add(
                OngoingTask(
                    plan_year=doc.year,
                    position=row.position,
                    title=row.title,
                    description=row.description,
                    gremium=gremium,
                )
            )
            report.ongoing_tasks.created += 1
            _note(report, first, f"Laufende Tätigkeit {row.position} neu: „{row.title}“")
            continue
        if (task.title, task.description, task.gremium) == (row.title, row.description, gremium):
            report.ongoing_tasks.unchanged += 1
            continue
        if task.title != row.title:
            report.differences.append(f"Laufende Tätigkeit {row.position}: „{task.title}“ → „{row.title}“")
        else:
            report.differences.append(f"Laufende Tätigkeit {row.position} „{row.title}“: Beschreibung geändert")
        task.title, task.description, task.gremium = row.title, row.description, gremium
        report.ongoing_tasks.updated += 1
    for position, task in sorted(existing.items()):
        session.delete(task)
        report.ongoing_tasks.removed += 1
        report.differences.append(f"Laufende Tätigkeit {position} „{task.title}“ entfernt (nicht mehr im Plan)")
