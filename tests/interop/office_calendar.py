"""A representative office calendar built with the feeds library, for the interop tests.

Every construct the office needs, on the dates where clients tend to disagree: series
across both 2024 DST switches, UNTIL as date and as local time, COUNT starting before the
window, BYDAY with BYMONTH gaps, EXDATE, a moved override, a cancelled date that stays
visible ("Abgesagt: ..."), extra single event, all-day spans (day, months, quarter, year),
tentative items, and awkward text.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from feeds import AllDayEvent, CalendarMeta, FeedEvent, Override, TimedEvent, render_calendar

NOW = datetime(2024, 1, 15, 8, 30, tzinfo=UTC)
CHANGED = datetime(2024, 1, 10, 12, 0, tzinfo=UTC)
META = CalendarMeta(name="Integrationsbüro – alle Termine", description="Gremien; Sitzungen, Aktivitäten\n2024")
TEXT = "Tagesordnung:\n1. Bericht, Haushalt; Stand\n2. Verschiedenes \\ Sonstiges 🎉 – Grüße aus Marzahn"
CANCEL_REASON = "Grund: Personalversammlung; Raum belegt, neuer Termin folgt"

DIENSTBERATUNG = TimedEvent(
    uid="series-1@test.calsvc",
    summary="Dienstberatung IntB, Int1; Int2",
    start=datetime(2024, 1, 9, 10, 0),
    end=datetime(2024, 1, 9, 11, 30),
    rrule="FREQ=WEEKLY;INTERVAL=2;UNTIL=20241231",
    exdates=(datetime(2024, 5, 14, 10, 0),),
    overrides=(
        Override(
            recurrence_id=datetime(2024, 4, 2, 10, 0),  # first meeting after the March switch
            start=datetime(2024, 4, 3, 14, 0),
            end=datetime(2024, 4, 3, 15, 30),
            last_modified=CHANGED,
            sequence=1,
            location="Raum 2.14, Riesaer Straße",
        ),
        Override(  # called off, still shown with its reason (DESIGN: "Abgesagt: <Titel>")
            recurrence_id=datetime(2024, 11, 12, 10, 0),
            start=datetime(2024, 11, 12, 10, 0),
            end=datetime(2024, 11, 12, 11, 30),
            last_modified=CHANGED,
            sequence=3,
            summary="Abgesagt: Dienstberatung IntB, Int1; Int2",
            description=CANCEL_REASON,
            status="CANCELLED",
        ),
    ),
    location="Rathaus Hellersdorf, Raum 1",
    description=TEXT,
    categories=("Gremium", "Dienstberatung"),
    sequence=2,
    last_modified=CHANGED,
    created=datetime(2023, 12, 1, 9, 0, tzinfo=UTC),
)
LAF_JOUR_FIXE = TimedEvent(
    uid="series-2@test.calsvc",
    summary="LAF-Jour fixe",
    start=datetime(2024, 1, 11, 13, 0),
    end=datetime(2024, 1, 11, 14, 30),
    rrule="FREQ=MONTHLY;INTERVAL=2;BYDAY=2TH",
    location="LAF, Darwinstraße 14–18",
    last_modified=CHANGED,
)
BEIRAT = TimedEvent(
    uid="series-3@test.calsvc",
    summary="Beirat PartInt: Sitzung",
    start=datetime(2024, 1, 3, 17, 0),
    end=datetime(2024, 1, 3, 19, 0),
    rrule="FREQ=MONTHLY;BYDAY=1WE;BYMONTH=1,2,3,4,5,6,9,10,11,12;UNTIL=20241231T235959",
    description="Öffentlich; Gäste willkommen, bitte anmelden.",
    categories=("Beirat",),
    last_modified=CHANGED,
)
AG_WOHNEN = TimedEvent(
    uid="series-4@test.calsvc",
    summary="AG Wohnen",
    start=datetime(2023, 10, 5, 15, 0),
    end=datetime(2023, 10, 5, 16, 0),
    rrule="FREQ=MONTHLY;BYDAY=1TH;COUNT=8",
    status="TENTATIVE",
    last_modified=CHANGED,
)
SONDERSITZUNG = TimedEvent(
    uid="single-1@test.calsvc",
    summary="Sondersitzung 👥 Beirat",
    start=datetime(2024, 7, 10, 10, 0),
    end=datetime(2024, 7, 10, 12, 0),
    description="Extra-Termin, nur dieses Jahr",
    last_modified=CHANGED,
)
ACTIVITIES = (
    AllDayEvent(
        uid="activity-3@test.calsvc",
        summary="Interkulturelle Woche (in Klärung)",
        first_day=date(2024, 9, 23),
        last_day=date(2024, 9, 23),
        status="TENTATIVE",
        last_modified=CHANGED,
    ),
    AllDayEvent(
        uid="activity-7@test.calsvc",
        summary="Fortschreibung Integrationskonzept, II. Quartal",
        first_day=date(2024, 4, 1),
        last_day=date(2024, 6, 30),
        description="Terminierung: II. Quartal 2024, fortlaufend",
        last_modified=CHANGED,
    ),
    AllDayEvent(
        uid="activity-9@test.calsvc",
        summary="Befragung März/April",
        first_day=date(2024, 3, 1),
        last_day=date(2024, 4, 30),
        last_modified=CHANGED,
    ),
    AllDayEvent(
        uid="activity-12@test.calsvc",
        summary="Netzwerkpflege (ganzjährig)",
        first_day=date(2024, 1, 1),
        last_day=date(2024, 12, 31),
        categories=("Aktivität",),
        last_modified=CHANGED,
    ),
)
EVENTS: tuple[FeedEvent, ...] = (DIENSTBERATUNG, LAF_JOUR_FIXE, BEIRAT, AG_WOHNEN, SONDERSITZUNG, *ACTIVITIES)


def office_feed(*, cancel: datetime | None = None) -> bytes:
    """The office feed; ``cancel`` adds one more EXDATE to the Dienstberatung."""
    events = list(EVENTS)
    if cancel is not None:
        events[0] = replace(DIENSTBERATUNG, exdates=(*DIENSTBERATUNG.exdates, cancel), sequence=3)
    return render_calendar(META, events, now=NOW)
