"""A small plan built straight from the models, for report tests that need exact, known facts."""

from __future__ import annotations

import json
from datetime import date, datetime

from flask import Flask
from sqlalchemy.orm import Session

from calsvc.db import session_scope
from calsvc.fuzzydates import parse_terminierung
from calsvc.models import (
    Activity,
    ActivityPeriod,
    ActivityProgress,
    AuditEntry,
    Gremium,
    MeetingSeries,
    Membership,
    Person,
    PlanImport,
    SeriesException,
)
from calsvc.schedule.rrule import normalize_rrule

__all__ = ["SMALL_ACTIVITIES", "add_small_plan", "small_plan_app"]

SMALL_ACTIVITIES = (
    (1, "Bezirksrunde Antisemitismusprävention", ("IntB",), "Januar 2024 April 2024"),
    (2, "Planungstreffen „Koordinierungsstelle für Demokratieentwicklung“", ("IntB", "Int1"), "April 2024"),
    (9, "Wiederaufnahme des Jour Fixe der LAF-Ehrenamtskoordinatorinnen", ("Int1", "Int2"), "II. Quartal 2024, fortlaufend"),
    (10, "Begleitung des Wohnraumvermittlungsprojektes", ("Int1",), "ganzjährig (insbes. I. Quartal 2024)"),
    (14, "Ausrichtung der „Interkulturellen Tage 2024“", ("IntB",), "September 2024"),
    (15, "Gemeinsame Sitzung des Beirates PartInt und Frauenbeirates", ("IntB",), "noch zu klären"),
    (25, "Klausur/Planungstreffen des Integrationsbüros", ("Int1", "IntB", "Int2"), "April 2024"),
)  # fmt: skip


def add_small_plan(session: Session) -> None:
    """Persons, a LAF-Jour fixe (Int1 lead, moved and cancelled dates), activities with notes, changes."""
    people = {
        code: Person(code=code, title=title)
        for code, title in (("IntB", "Integrationsbeauftragte"), ("Int1", "Referentin"), ("Int2", "Referent"))
    }
    people["Int2"].vacant = True
    session.add_all(people.values())
    laf = Gremium(slug="jour-fixe-der-laf-unterkuenfte", name="Jour fixe der LAF-Unterkünfte", position=1)
    laf.memberships.append(Membership(person=people["Int1"], role="lead"))
    laf.memberships.append(Membership(person=people["IntB"], role="member"))
    quiet = Gremium(slug="ag-soziale-infrastruktur", name="AG Soziale Infrastruktur", position=2)
    quiet.memberships.append(Membership(person=people["IntB"], role="member"))
    session.add_all([laf, quiet])
    start = datetime(2024, 1, 11, 14)
    series = MeetingSeries(
        gremium=laf,
        title="LAF-Jour fixe",
        dtstart=start,
        duration_minutes=120,
        rrule=normalize_rrule("FREQ=MONTHLY;INTERVAL=2;BYDAY=2TH", start),
        location="Rathaus",
    )
    series.exceptions.append(
        SeriesException(recurrence_id=datetime(2024, 5, 9, 14), new_start=datetime(2024, 5, 16, 14))
    )
    series.exceptions.append(SeriesException(recurrence_id=datetime(2024, 3, 14, 14), cancelled=True, note="Krankheit"))
    session.add(series)
    for number, title, codes, text in SMALL_ACTIVITIES:
        meaning = parse_terminierung(text, 2024)
        activity = Activity(
            plan_year=2024,
            number=number,
            title=title,
            terminierung=text,
            ongoing=meaning.ongoing,
            tentative=meaning.tentative,
            unscheduled=meaning.unscheduled,
        )
        activity.responsible = [people[c] for c in codes]
        activity.periods = [
            ActivityPeriod(position=i, start=p.start, end=p.end, precision=p.precision.value, focus=p.focus)
            for i, p in enumerate(meaning.periods)
        ]
        session.add(activity)
        if number == 25:
            activity.status = "erledigt"
            activity.progress = [
                ActivityProgress(day=date(2024, 4, 10), status="in Arbeit", note="Raum gebucht", author="Int1"),
                ActivityProgress(day=date(2024, 4, 26), status="erledigt", note="Klausur am 25.04. durchgeführt"),
            ]
        if number == 9:
            activity.status = "in Arbeit"
            activity.progress = [ActivityProgress(day=date(2024, 8, 1), status="in Arbeit", note="erstes Treffen")]
    session.add(
        AuditEntry(
            at=datetime(2024, 5, 2, 8, 30),
            actor="irina",
            object_type="activity",
            object_id=1,
            action="update",
            summary="Aktivität 1: Terminierung geändert",
            changes=json.dumps({"terminierung": ["Januar 2024", "Januar 2024 April 2024"]}),
        )
    )
    session.add(
        AuditEntry(
            at=datetime(2024, 7, 2, 8, 30),
            actor="irina",
            object_type="activity",
            object_id=2,
            action="update",
            summary="außerhalb des Quartals",
        )
    )
    session.add(
        AuditEntry(
            at=datetime(2024, 5, 3, 8),
            actor="admin",
            object_type="user",
            object_id=1,
            action="create",
            summary="Konto angelegt",
        )
    )
    summary = {
        "year": 2024,
        "activities": {"created": 1, "updated": 2, "unchanged": 22, "removed": 0, "kept": 0},
        "differences": ["Aktivität 25 neu: Klausur/Planungstreffen des Integrationsbüros"],
    }
    session.add(
        PlanImport(
            plan_year=2024,
            source="arbeitsplan-2024-v2.txt",
            sha256="0" * 64,
            imported_at=datetime(2024, 6, 30, 21, 30),
            summary=json.dumps(summary),
        )
    )
    session.flush()


def small_plan_app(app: Flask) -> Flask:
    """``app`` with :func:`add_small_plan` committed."""
    with app.app_context(), session_scope(app) as session:
        add_small_plan(session)
    return app
