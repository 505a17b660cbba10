"""``calsvc demo``: the 2024 work plan plus example meeting times, carried over to this year.

The plan names the meetings but not their dates, so the times here are invented and
marked ``is_example`` (pages and feeds say "Beispiel"). Some clashes are deliberate, for the
conflict checker: the Fachrunde MSD sometimes overlaps the Dienstberatung (both IntB), and
the Beirat's first Wednesday of May 2024 is the 1st of May. The plans of 2025 up to the
current year are carried over from 2024 ("Arbeitsplan anlegen"), so ``make run`` opens on a
month with the plan's ongoing activities and tasks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import resources

import click
from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from calsvc.db import session_scope
from calsvc.models import (
    ExtraDate,
    Gremium,
    Level,
    MeetingSeries,
    Membership,
    OngoingTask,
    Person,
    Role,
    SeriesException,
    SeriesParticipant,
)
from calsvc.schedule.rrule import normalize_rrule
from calsvc.schedule.walltime import BERLIN

__all__ = ["DEMO_PLAN", "demo_command", "load_demo"]

DEMO_PLAN = "arbeitsplan-integrationsbuero-2024.txt"
EXAMPLE_NOTE = "Beispieltermin der Demo – Zeit und Ort sind erfunden, nicht aus dem Arbeitsplan."
RATHAUS = "Rathaus Hellersdorf, Alice-Salomon-Platz 3, 12627 Berlin"


@dataclass(frozen=True)
class ExampleSeries:
    """One invented meeting series of a Gremium (by slug)."""

    gremium: str
    title: str
    dtstart: datetime
    minutes: int
    rrule: str | None
    location: str
    cancelled: tuple[datetime, ...] = ()
    moved: tuple[tuple[datetime, datetime, str | None], ...] = ()
    extras: tuple[datetime, ...] = ()
    participants: tuple[str, ...] = field(default=())


EXAMPLES: tuple[ExampleSeries, ...] = (
    ExampleSeries(
        "dienstberatung-integration", "Dienstberatung Integration", datetime(2024, 1, 9, 10), 90,
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", f"{RATHAUS}, Raum 2.14",
        cancelled=(datetime(2024, 7, 23, 10), datetime(2024, 12, 31, 10)),
        moved=((datetime(2024, 10, 1, 10), datetime(2024, 10, 2, 10), None),),
    ),
    ExampleSeries(
        "jour-fixe-der-laf-unterkuenfte", "LAF-Jour fixe", datetime(2024, 1, 11, 14), 120,
        "FREQ=MONTHLY;INTERVAL=2;BYDAY=2TH", f"{RATHAUS}, Sitzungssaal",
        moved=((datetime(2024, 5, 9, 14), datetime(2024, 5, 16, 14), "Unterkunft Blumberger Damm, Gemeinschaftsraum"),),
    ),
    ExampleSeries(
        "beirat-fuer-partizipation-und-integration", "Sitzung des Beirats für Partizipation und Integration",
        datetime(2024, 1, 3, 17), 150, "FREQ=MONTHLY;BYDAY=1WE;BYMONTH=1,2,3,4,5,6,9,10,11,12",
        f"{RATHAUS}, BVV-Saal", extras=(datetime(2024, 8, 21, 17),),
    ),
    ExampleSeries(
        "vernetzungsrunde-integrationspolitik", "Vernetzungsrunde Integrationspolitik", datetime(2024, 2, 20, 13), 120,
        "FREQ=MONTHLY;INTERVAL=3;BYDAY=3TU", f"{RATHAUS}, Raum 2.14",
    ),
    ExampleSeries(
        "vernetzungsrunde-migrationsdienste-msd-mbe-jmd", "Vernetzungsrunde Migrationsdienste", datetime(2024, 1, 15, 10), 90,
        "FREQ=MONTHLY;INTERVAL=2;BYDAY=3MO", "Stadtteilzentrum Marzahn-Mitte",
    ),
    ExampleSeries(
        "fachrunde-migrationssozialdienst", "Fachrunde Migrationssozialdienst", datetime(2024, 1, 23, 11), 60,
        "FREQ=MONTHLY;BYDAY=4TU", f"{RATHAUS}, Raum 1.07",
    ),
    ExampleSeries(
        "bvv-ausschuss-fuer-partizipation-und-integration", "BVV-Ausschuss für Partizipation und Integration",
        datetime(2024, 1, 16, 17, 30), 120, "FREQ=MONTHLY;BYDAY=3TU;BYMONTH=1,2,3,4,5,6,9,10,11,12", f"{RATHAUS}, BVV-Saal",
    ),
    ExampleSeries(
        "bezirklicher-koordinierungsstab-fluechtlinge", "Bezirklicher Koordinierungsstab Flüchtlinge",
        datetime(2024, 1, 25, 9), 90, "FREQ=MONTHLY;BYDAY=-1TH", f"{RATHAUS}, Raum 3.02",
    ),
    ExampleSeries(
        "ag-nachbarschaften-und-vielfalt", "AG Nachbarschaften und Vielfalt", datetime(2024, 2, 13, 16), 90,
        "FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU", "Begegnungszentrum Hellersdorf",
    ),
    ExampleSeries(
        "bezirksrunde-antisemitismuspraevention", "Bezirksrunde Antisemitismusprävention", datetime(2024, 1, 30, 14), 120,
        None, f"{RATHAUS}, Raum 2.14",
    ),
)  # fmt: skip

DIENSTBERATUNG = ("dienstberatung-integration", "Dienstberatung Integration")


def load_demo(session: Session, *, echo: bool = False) -> None:
    """Import the packaged 2024 plan and add the example series that are missing; safe to repeat."""
    from .importer import import_plan

    text = resources.files("calsvc.data").joinpath(DEMO_PLAN).read_text(encoding="utf-8")
    report = import_plan(session, text, year=2024, source=f"calsvc/data/{DEMO_PLAN}")
    if echo:
        click.echo(report.format())
    _ensure_dienstberatung(session)
    _ensure_buero_assistenz(session)
    examples = session.scalars(select(MeetingSeries).where(MeetingSeries.is_example))
    existing = {(s.gremium.slug if s.gremium else None, s.title) for s in examples}
    for example in EXAMPLES:  # only missing ones: ids (and so feed UIDs) stay stable across runs
        if (example.gremium, example.title) not in existing:
            session.add(_series(session, example))
    session.flush()
    _carry_to_this_year(session, echo=echo)


def _carry_to_this_year(session: Session, *, echo: bool) -> None:
    """Plans 2025 … this year, each carried over from the one before, so today's month is alive.

    Additive: the 2024 rows stay as imported; a year that has a plan already is left alone.
    """
    from .years import new_plan, plan_years

    existing = set(plan_years(session))
    for year in range(2025, datetime.now(BERLIN).year + 1):
        if year not in existing:
            result = new_plan(session, "Demo", year)
            if echo:
                click.echo(result.format())
    session.flush()


def _ensure_dienstberatung(session: Session) -> None:
    """The biweekly Dienstberatung is an ongoing task in plan section 1, not a table Gremium."""
    slug, name = DIENSTBERATUNG
    gremium = session.scalar(select(Gremium).where(Gremium.slug == slug))
    if gremium is None:
        gremium = Gremium(
            slug=slug,
            name=name,
            level=Level.BEZIRKLICH.value,
            position=0,
            description="Zweiwöchentliche Dienstberatung (Arbeitsplan, Abschnitt 1).",
        )
        codes = {p.code: p for p in session.scalars(select(Person))}
        for code, role in (("IntB", Role.LEAD), ("Int1", Role.MEMBER), ("Int2", Role.MEMBER)):
            if code in codes:
                gremium.memberships.append(Membership(person=codes[code], role=role.value))
        session.add(gremium)
        session.flush()
    # Link section 1's task as a re-import would (the importer matches tasks to existing Gremien).
    task = session.scalar(select(OngoingTask).where(OngoingTask.title.startswith("Dienstberatungen")))
    if task is not None:
        task.gremium = gremium


def _ensure_buero_assistenz(session: Session) -> None:
    """Büroassistenz (BA): example post, vacant until its onboarding in Q2 (activity 24)."""
    if session.scalar(select(Person).where(Person.code == "BA")) is None:
        session.add(
            Person(
                code="BA",
                title="Büroassistenz",
                vacant=True,
                vacant_until=date(2024, 5, 31),
                notes="Beispiel: Besetzung zum 01.06.2024 angenommen.",
            )
        )


def _series(session: Session, example: ExampleSeries) -> MeetingSeries:
    gremium = session.scalar(select(Gremium).where(Gremium.slug == example.gremium))
    if gremium is None:
        raise click.ClickException(f"Demo: Gremium „{example.gremium}“ fehlt nach dem Import des Plans.")
    series = MeetingSeries(
        gremium=gremium,
        title=example.title,
        dtstart=example.dtstart,
        duration_minutes=example.minutes,
        rrule=normalize_rrule(example.rrule, example.dtstart) if example.rrule else None,
        location=example.location,
        description=EXAMPLE_NOTE,
        is_example=True,
    )
    for day in example.cancelled:
        series.exceptions.append(SeriesException(recurrence_id=day, cancelled=True, note="Beispiel: fällt aus"))
    for original, new_start, location in example.moved:
        series.exceptions.append(
            SeriesException(
                recurrence_id=original, new_start=new_start, new_location=location, note="Beispiel: verlegt", sequence=1
            )
        )
    for day in example.extras:
        series.extra_dates.append(ExtraDate(start=day, note="Beispiel: Sondersitzung"))
    people = {p.code: p for p in session.scalars(select(Person))}
    series.participants.extend(SeriesParticipant(person=people[c]) for c in example.participants)
    return series


@click.command("demo")
def demo_command() -> None:
    """Load the 2024 work plan plus example meeting times (marked as examples)."""
    with session_scope(current_app) as session:
        load_demo(session, echo=True)
        count = len(session.scalars(select(MeetingSeries).where(MeetingSeries.is_example)).all())
    years = ", ".join(str(y) for y in range(2025, datetime.now(BERLIN).year + 1))
    carried = f" (übernommen in {years})" if years else ""
    click.echo(f"Demo geladen: Arbeitsplan 2024{carried} und {count} Beispiel-Terminserien.")
