"""Deterministic synthetic data at three scales, written through calsvc's own models and importer.

* ``office``: the demo exactly (``calsvc.plan.demo.load_demo``: the 2024 plan + 10 example series).
* ``berlin``: 12 districts × the demo's posts and Gremien. Marzahn-Hellersdorf is the demo itself;
  the other 11 take the plan's facts (``check_plan``) with district-prefixed codes and names,
  written by the importer's own ``sync_persons``/``sync_gremien``; each Gremium gets one series
  (the demo's example series mirrored where the demo has one, seeded ones elsewhere): ~360.
* ``national``: 100 offices × 30 posts × 30 Gremien: ~3,000 persons, ~3,000 series with
  cancelled, moved and extra dates, tentative and cancelled series, explicit participants.

Everything random comes from ``random.Random(SEED)``, so two runs build identical databases.
"""

from __future__ import annotations

import dataclasses
import random
from datetime import date, datetime, timedelta
from pathlib import Path

from dateutil.rrule import rrulestr
from sqlalchemy import select
from sqlalchemy.orm import Session

from calsvc import create_app
from calsvc.admin.secrets import hash_token
from calsvc.db import session_scope
from calsvc.migrate import upgrade
from calsvc.models import (
    Activity,
    ActivityPeriod,
    ExtraDate,
    Gremium,
    MeetingSeries,
    Membership,
    Person,
    SeriesException,
    SeriesParticipant,
)
from calsvc.models.slugs import slugify
from calsvc.plan.demo import EXAMPLES, load_demo
from calsvc.plan.importer import check_plan
from calsvc.plan.report import ImportReport
from calsvc.plan.sync import sync_gremien, sync_persons
from calsvc.schedule.rrule import normalize_rrule

__all__ = ["BENCH_TOKEN", "DISTRICTS", "SCALES", "build", "plan_text"]

SEED = 20240101
YEAR = 2024
BENCH_TOKEN = "bench-token-not-secret-0123456789abcdef0123456789ab"  # the benchmarked person feeds' token
SCALES = ("office", "berlin", "national")
HOME = "Marzahn-Hellersdorf"
DISTRICTS = (
    ("mi", "Mitte"), ("fk", "Friedrichshain-Kreuzberg"), ("pa", "Pankow"), ("cw", "Charlottenburg-Wilmersdorf"),
    ("sp", "Spandau"), ("sz", "Steglitz-Zehlendorf"), ("ts", "Tempelhof-Schöneberg"), ("nk", "Neukölln"),
    ("tk", "Treptow-Köpenick"), ("mh", HOME), ("li", "Lichtenberg"), ("re", "Reinickendorf"),
)  # fmt: skip
PLAN_FILE = "arbeitsplan-integrationsbuero-2024.txt"
RULES = (
    (10, "FREQ=WEEKLY;BYDAY={wd}"),
    (20, "FREQ=WEEKLY;INTERVAL=2;BYDAY={wd}"),
    (30, "FREQ=MONTHLY;BYDAY={n}{wd}"),
    (8, "FREQ=MONTHLY;BYDAY={n}{wd};BYMONTH=1,2,3,4,5,6,9,10,11,12"),
    (12, "FREQ=MONTHLY;INTERVAL=2;BYDAY={n}{wd}"),
    (6, "FREQ=MONTHLY;INTERVAL=3;BYDAY={n}{wd}"),
    (4, "FREQ=MONTHLY;BYDAY=-1{wd}"),
    (4, "FREQ=MONTHLY;BYMONTHDAY={md}"),
    (6, None),
)
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR")
PLACES = ("Rathaus, Raum 2.14", "Rathaus, Sitzungssaal", "BVV-Saal", "Stadtteilzentrum", "Begegnungszentrum", "online")


def plan_text() -> str:
    """The packaged 2024 work plan the demo imports."""
    from importlib import resources

    return resources.files("calsvc.data").joinpath(PLAN_FILE).read_text(encoding="utf-8")


def build(scale: str, path: Path) -> dict[str, object]:
    """Create a migrated SQLite database at ``path`` holding ``scale``; returns what was built."""
    app = create_app({"DATABASE_URL": f"sqlite:///{path}", "SECRET_KEY": "bench", "CALSVC_UID_HOST": "bench.calsvc"})
    upgrade(app.extensions["calsvc.engine"])
    rng = random.Random(f"{SEED}-{scale}")
    with app.app_context(), session_scope(app) as session:
        load_demo(session)
        if scale == "berlin":
            _berlin(session, rng)
        elif scale == "national":
            _national(session, rng)
        elif scale != "office":
            raise ValueError(f"unknown scale {scale!r}")
        _give_tokens(session)
    with app.app_context(), session_scope(app) as session:
        info = _describe(session, scale)
    app.extensions["calsvc.engine"].dispose()
    return info


def _describe(session: Session, scale: str) -> dict[str, object]:
    """Counts and the keys the benchmarks use (one Gremium, one person)."""
    from sqlalchemy import func

    counts = {
        "persons": session.scalar(select(func.count(Person.id))),
        "gremien": session.scalar(select(func.count(Gremium.id))),
        "series": session.scalar(select(func.count(MeetingSeries.id))),
        "exceptions": session.scalar(select(func.count(SeriesException.id))),
        "extra_dates": session.scalar(select(func.count(ExtraDate.id))),
        "activities": session.scalar(select(func.count(Activity.id))),
    }
    return {"scale": scale, **counts, "gremium": "beirat-fuer-partizipation-und-integration", "person": "IntB"}


def _give_tokens(session: Session) -> None:
    """The demo's IntB gets the (public, fixed) benchmark token so the person feed can be fetched."""
    person = session.scalar(select(Person).where(Person.code == "IntB"))
    assert person is not None
    person.feed_token_hash = hash_token(BENCH_TOKEN)


# --- Berlin: 12 districts ---------------------------------------------------------------------------


def _berlin(session: Session, rng: random.Random) -> None:
    """The other 11 districts from the plan's facts; then a series for every Gremium without one."""
    checked = check_plan(plan_text(), year=YEAR)
    assert not checked.problems, checked.problems
    examples = {e.gremium: e for e in EXAMPLES}
    original: dict[str, str] = {}
    for prefix, district in DISTRICTS:
        if district != HOME:
            original.update(_district(session, checked, prefix, district))
    session.flush()
    with_series = set(session.scalars(select(MeetingSeries.gremium_id).where(MeetingSeries.gremium_id.is_not(None))))
    for gremium in session.scalars(select(Gremium).order_by(Gremium.id)):
        if gremium.id in with_series:
            continue
        example = examples.get(original.get(gremium.slug, gremium.slug))
        session.add(_mirror(gremium, example) if example else _random_series(rng, gremium, gremium.members))


def _district(session: Session, checked: object, prefix: str, district: str) -> dict[str, str]:
    """One district's posts, Gremien (through the importer's sync) and activities; new → demo slug."""
    doc = checked.document  # type: ignore[attr-defined]
    code = {p.code: f"{prefix.upper()}-{p.code}" for p in doc.persons}
    code["BA"] = f"{prefix.upper()}-BA"

    def name(text: str) -> str:
        return f"{district}: {text}"

    persons = tuple(dataclasses.replace(p, code=code[p.code], name=None) for p in doc.persons)
    gremien = tuple(
        dataclasses.replace(
            g,
            name=name(g.name),
            slug=slugify(name(g.name)),
            parent_name=name(g.parent_name) if g.parent_name else None,
            members=tuple((code[c], lead) for c, lead in g.members),
        )
        for g in doc.gremien
    )
    renamed = dataclasses.replace(doc, persons=persons, gremien=gremien, ongoing_tasks=(), activities=())
    report = ImportReport(year=YEAR, source=f"bench {district}", sha256="-")
    people = sync_persons(session, renamed, report)
    session.flush()
    sync_gremien(session, renamed, people, report)
    ba = Person(code=code["BA"], title="Büroassistenz", vacant=True, vacant_until=date(YEAR, 5, 31))
    session.add(ba)
    dienst = Gremium(slug=slugify(name("Dienstberatung Integration")), name=name("Dienstberatung Integration"))
    for post, role in (("IntB", "lead"), ("Int1", "member"), ("Int2", "member")):
        dienst.memberships.append(Membership(person=people[code[post]], role=role))
    session.add(dienst)
    offset = (DISTRICTS.index((prefix, district)) + 1) * 100
    for row in doc.activities:
        term = checked.terminierungen[row.number]  # type: ignore[attr-defined]
        activity = Activity(
            plan_year=YEAR,
            number=offset + row.number,
            title=row.title,
            terminierung=term.raw,
            ongoing=term.ongoing,
            tentative=term.tentative,
            unscheduled=term.unscheduled,
            responsible=[people[code[c]] for c in row.responsible],
        )
        activity.periods = [
            ActivityPeriod(position=i, start=p.start, end=p.end, precision=str(p.precision), focus=p.focus)
            for i, p in enumerate(term.periods)
        ]
        session.add(activity)
    mapping = {new.slug: old.slug for new, old in zip(gremien, doc.gremien, strict=True)}
    return {**mapping, dienst.slug: "dienstberatung-integration"}


def _mirror(gremium: Gremium, example: object) -> MeetingSeries:
    """The demo's example series of this Gremium's counterpart, same times and exceptions."""
    ex = example  # an ExampleSeries
    series = MeetingSeries(
        gremium=gremium,
        title=ex.title,
        dtstart=ex.dtstart,
        duration_minutes=ex.minutes,  # type: ignore[attr-defined]
        rrule=normalize_rrule(ex.rrule, ex.dtstart) if ex.rrule else None,  # type: ignore[attr-defined]
        location=ex.location,
        is_example=True,
    )  # type: ignore[attr-defined]
    for day in ex.cancelled:  # type: ignore[attr-defined]
        series.exceptions.append(SeriesException(recurrence_id=day, cancelled=True, note="fällt aus"))
    for original, new_start, location in ex.moved:  # type: ignore[attr-defined]
        series.exceptions.append(
            SeriesException(
                recurrence_id=original, new_start=new_start, new_location=location, note="verlegt", sequence=1
            )
        )
    for day in ex.extras:  # type: ignore[attr-defined]
        series.extra_dates.append(ExtraDate(start=day, note="Sondersitzung"))
    return series


# --- national: 100 offices -----------------------------------------------------------------------


def _national(session: Session, rng: random.Random, offices: int = 100, posts: int = 30, bodies: int = 30) -> None:
    """~3,000 posts and ~3,000 Gremien with one series each (the demo's 10 come on top)."""
    staff: list[list[Person]] = []
    for o in range(offices):
        people = [
            Person(code=f"K{o:03d}-P{p:02d}", title=f"Stelle {p + 1} im Büro {o + 1}", vacant=rng.random() < 0.05)
            for p in range(posts)
        ]
        session.add_all(people)
        staff.append(people)
    session.flush()
    for o, people in enumerate(staff):
        for b in range(bodies):
            gremium = Gremium(slug=f"k{o:03d}-gremium-{b:02d}", name=f"Gremium {b + 1} im Büro {o + 1}", position=b)
            members = rng.sample(people, rng.randint(2, 6))
            if rng.random() < 0.05:  # a few Gremien span offices
                members.append(rng.choice(staff[rng.randrange(offices)]))
            for i, person in enumerate(dict.fromkeys(members)):
                gremium.memberships.append(Membership(person=person, role="lead" if i == 0 else "member"))
            session.add(gremium)
            explicit = rng.sample(people, 3) if rng.random() < 0.1 else None
            session.add(_random_series(rng, gremium, members, explicit=explicit))
        if o % 10 == 9:
            session.flush()


def _random_series(
    rng: random.Random, gremium: Gremium, members: list[Person], *, explicit: list[Person] | None = None
) -> MeetingSeries:
    """A seeded series: a common rhythm, office hours, and realistic exceptions within 2024."""
    weights, templates = zip(*RULES, strict=True)
    template = rng.choices(templates, weights=weights)[0]
    base = datetime(YEAR, 1, 1, rng.choice(range(8, 17)), rng.choice((0, 0, 30)))
    minutes = rng.choice((60, 60, 90, 90, 120, 150))
    if template is None:
        dtstart = base + timedelta(days=rng.randrange(10, 350))
        rule = None
    else:
        rule = template.format(wd=rng.choice(WEEKDAYS), n=rng.randint(1, 4), md=rng.randint(1, 28))
        dtstart = rrulestr(f"RRULE:{rule}", dtstart=base + timedelta(days=rng.randrange(0, 20))).after(base, inc=True)
        rule = normalize_rrule(rule, dtstart)
    status = rng.choices(("confirmed", "tentative", "cancelled"), weights=(90, 8, 2))[0]
    series = MeetingSeries(
        gremium=gremium,
        title=f"Sitzung {gremium.name}",
        dtstart=dtstart,
        duration_minutes=minutes,
        rrule=rule,
        location=rng.choice(PLACES),
        status=status,
    )
    if rule is not None:
        starts = rrulestr(f"RRULE:{rule}", dtstart=dtstart).between(datetime(YEAR, 2, 1), datetime(YEAR, 11, 30))
        rng.shuffle(starts)
        if starts and rng.random() < 0.25:  # cancelled dates
            for day in sorted(starts[: rng.randint(1, 2)]):
                series.exceptions.append(SeriesException(recurrence_id=day, cancelled=True, note="fällt aus"))
            starts = starts[2:]
        if starts and rng.random() < 0.15:  # a moved occurrence (another day or hour, maybe elsewhere)
            original = starts.pop()
            shift = (
                timedelta(days=rng.choice((1, 2, 7))) if rng.random() < 0.6 else timedelta(hours=rng.choice((-2, 2)))
            )
            series.exceptions.append(
                SeriesException(
                    recurrence_id=original,
                    new_start=original + shift,
                    sequence=1,
                    note="verlegt",
                    new_duration_minutes=rng.choice((None, None, 120)),
                    new_location=rng.choice((None, "Ausweichraum")),
                )
            )
    if rng.random() < 0.08:  # an extra date
        day = datetime(YEAR, rng.randint(2, 11), rng.randint(1, 28), dtstart.hour, dtstart.minute)
        series.extra_dates.append(ExtraDate(start=day, note="Sondersitzung", duration_minutes=rng.choice((None, 180))))
    for person in explicit or ():
        series.participants.append(SeriesParticipant(person=person))
    return series
