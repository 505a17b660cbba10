"""The calendar objects of real invitation e-mails pass the feeds' six-parser checks.

The demo's series (moves, cancelled dates, an extra date, one series cancelled whole) are
invited as of June 2024; the text/calendar part of each message in the outbox is read by
icalendar, vobject and the strict ``ical`` parser, and expanded by recurring-ical-events, libical
(Evolution) and ical.js (Thunderbird): a REQUEST to exactly the engine's occurrences of its UID,
a CANCEL to the one called-off slot (or the series) the same way in all three. libical and
ical.js also keep ORGANIZER and every ATTENDEE.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from email import message_from_string
from email.message import EmailMessage
from email.policy import default
from typing import Any

import icalendar
import pytest
from sqlalchemy import select

from calsvc.db import session_scope
from calsvc.invitations.service import invite
from calsvc.invitations.settings import mail_settings
from calsvc.models import AttendanceChange, MeetingSeries, OutboxMessage, Person, SeriesException
from calsvc.schedule.attendance import person_view
from calsvc.schedule.engine import expand
from calsvc.schedule.store import series_spec
from calsvc.schedule.walltime import BERLIN

from .interop import parsers
from .mail_support import calendar_parts
from .test_feeds_demo_interop import HOST, engine_rows

pytestmark = pytest.mark.interop

NOW = datetime(2024, 6, 1, 8, tzinfo=UTC)
YEAR = (date(2024, 1, 1), date(2025, 1, 1))
EXPANDERS: dict[str, Callable[[bytes, date, date], set[parsers.Occurrence]]] = {
    "recurring-ical-events": parsers.expand_recurring_ical_events,
    "libical": parsers.expand_libical,
    "ical.js": parsers.expand_icaljs,
}
READERS = {"icalendar": parsers.texts_icalendar, "libical": parsers.texts_libical, "ical.js": parsers.texts_icaljs}


@pytest.fixture(scope="module")
def invited(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Calendar objects (one per UID/instance/METHOD) taken from the outbox's messages, and the engine's rows."""
    from calsvc import create_app
    from calsvc.migrate import upgrade
    from calsvc.plan.demo import load_demo

    from .support import database_url_for_test

    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url_for_test(tmp_path_factory.mktemp("invite")),
            "SECRET_KEY": "test-secret",
            "CALSVC_UID_HOST": HOST,
        }
    )
    upgrade(app.extensions["calsvc.engine"])
    objects: dict[tuple[str, str, str | None], bytes] = {}
    expected: dict[str, set[parsers.Occurrence]] = {}
    with app.app_context(), session_scope(app) as s:
        load_demo(s)
        for person in s.scalars(select(Person)):
            person.email = f"{person.code.lower().replace(' ', '')}@bezirk.example"
        dienstberatung = s.scalars(
            select(MeetingSeries).where(MeetingSeries.title == "Dienstberatung Integration")
        ).one()
        _one_more_for_one_date(s, dienstberatung)
        chosen = [dienstberatung, *s.scalars(select(MeetingSeries).where(MeetingSeries.title != dienstberatung.title))]
        for series in chosen:
            _expect(expected, series)
            invite(s, "erika", series, mail_settings(), NOW)
        # then one more date and one whole series are called off, and the invitations brought up to date
        dienstberatung.exceptions.append(SeriesException(recurrence_id=datetime(2024, 9, 3, 10), cancelled=True))
        dienstberatung.sequence += 1
        chosen[-1].status = "cancelled"
        chosen[-1].sequence += 1
        s.flush()
        for series in chosen:
            _expect(expected, series)  # the cancelled series keeps the dates of its last REQUEST
            invite(s, "erika", series, mail_settings(), NOW)
        for row in s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)):
            message = message_from_string(row.message, policy=default)
            assert isinstance(message, EmailMessage)
            _text, part, _attachment = calendar_parts(message)
            assert part.get_param("method") == row.method
            objects[(row.uid, row.method, row.recurrence_id)] = part.get_content().encode("utf-8")  # the newest
    app.extensions["calsvc.engine"].dispose()
    return {"objects": objects, "expected": expected}


def _one_more_for_one_date(s: Any, series: MeetingSeries) -> None:
    """Someone from outside the series comes to its first date in July only: invited to that date alone."""
    spec = series_spec(series)
    (first, *_rest) = expand([spec], [], date(2024, 7, 1), date(2024, 8, 1))
    assert first.recurrence_id is not None
    outsider = next(p for p in s.scalars(select(Person).order_by(Person.code)) if p.code not in spec.participant_codes)
    series.attendance.append(
        AttendanceChange(recurrence_id=first.recurrence_id.replace(tzinfo=None), present=True, person=outsider)
    )
    series.sequence += 1
    s.flush()


def _expect(expected: dict[str, set[parsers.Occurrence]], series: MeetingSeries) -> None:
    """The engine's occurrences of each UID of ``series`` now (a series with none keeps the former), also
    of the dates published to someone of single dates only (their own UIDs, as in their feed)."""
    spec = series_spec(series)
    views = [spec, *(person_view(spec, a.person.code) for a in series.attendance if a.present and a.person)]
    rows: dict[str, set[parsers.Occurrence]] = {}
    for row in engine_rows(expand([v for v in views if v is not None], [], *YEAR), *YEAR):
        rows.setdefault(row[0], set()).add(row)
    expected.update(rows)


def test_the_demo_gives_every_kind_of_object(invited: dict[str, Any]) -> None:
    kinds = {(uid.split("-")[0], method, rid is not None) for uid, method, rid in invited["objects"]}
    assert kinds >= {("series", "REQUEST", False), ("extra", "REQUEST", False), ("series", "CANCEL", True)}
    assert ("series", "CANCEL", False) in kinds  # the series cancelled whole
    cancelled_dates = {rid[:10] for _uid, method, rid in invited["objects"] if method == "CANCEL" and rid}
    assert cancelled_dates == {"2024-07-23", "2024-09-03"}  # coming ones only; 31.12. is no Dienstberatung


def test_someone_of_one_date_gets_that_date_as_an_object_of_its_own(invited: dict[str, Any]) -> None:
    singles = [key for key in invited["objects"] if re.fullmatch(r"series-\d+-\d{8}T\d{4}@.+", key[0])]
    assert [(method, rid) for _uid, method, rid in singles] == [("REQUEST", None)]
    assert len(invited["expected"][singles[0][0]]) == 1  # checked below like every other UID: one date


def test_every_object_is_read_by_the_three_parsers(invited: dict[str, Any]) -> None:
    for key, ics in invited["objects"].items():
        components = parsers.parse_icalendar(ics)
        assert parsers.parse_vobject(ics) == components, key
        assert parsers.parse_ical_strict(ics) == components, key
        assert str(icalendar.Calendar.from_ical(ics)["METHOD"]) == key[1]
        assert {c[0] for c in components} == {key[0]}, "one UID per object (RFC 5546)"


def test_requests_expand_to_the_engines_occurrences_in_three_clients(invited: dict[str, Any]) -> None:
    requests = {k: v for k, v in invited["objects"].items() if k[1] == "REQUEST"}
    assert len(requests) > 5
    for (uid, _m, _r), ics in requests.items():
        for name, expand_with in EXPANDERS.items():
            assert expand_with(ics, *YEAR) == invited["expected"][uid], (name, uid)


def test_a_cancel_names_the_same_slot_in_three_clients(invited: dict[str, Any]) -> None:
    cancels = {k: v for k, v in invited["objects"].items() if k[1] == "CANCEL"}
    for (uid, _m, rid), ics in cancels.items():
        found = [expand_with(ics, *YEAR) for expand_with in EXPANDERS.values()]
        assert found[0] == found[1] == found[2], uid
        if rid is not None:
            (slot,) = found[0]
            local = datetime.fromisoformat(rid).replace(tzinfo=BERLIN)  # stored as Berlin wall time
            assert slot[0] == uid and slot[1] == local.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize("reader", sorted(READERS))
def test_organizer_attendees_and_status_survive_in_every_reader(invited: dict[str, Any], reader: str) -> None:
    for (uid, method, _rid), ics in invited["objects"].items():
        written = ics.replace(b"\r\n ", b"").count(b"\r\nATTENDEE;") // len(
            icalendar.Calendar.from_ical(ics).walk("VEVENT")
        )
        assert written >= 1
        for event in READERS[reader](ics):
            assert event["uid"] == uid
            assert "ORGANIZER" in event["properties"] and event["properties"].count("ATTENDEE") == written, (
                reader,
                uid,
            )
            if method == "CANCEL":
                assert event["status"] == "CANCELLED", (reader, uid)
