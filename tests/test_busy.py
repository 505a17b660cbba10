"""Outside calendars: Outlook/Exchange files read as busy times only, fetched from a real local server."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from calsvc.busy.fetch import FetchError, fetch_calendar
from calsvc.busy.parse import BusyParseError, busy_intervals
from calsvc.busy.sync import SyncLimits, store_upload, sync_source
from calsvc.conflicts.service import check_proposal, free_slots
from calsvc.db import session_scope
from calsvc.models import BusyInterval, BusySource, Person

from .calendar_server import CALENDARS, serve_calendars

LO = datetime(2026, 12, 1, tzinfo=UTC)
HI = datetime(2027, 6, 1, tzinfo=UTC)


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def _read(name: str, lo: datetime = LO, hi: datetime = HI) -> list[tuple[datetime, datetime]]:
    return busy_intervals((CALENDARS / name).read_bytes(), lo, hi)


def test_exchange_publishing_file_counts_what_its_owner_sees_as_busy() -> None:
    busy = _read("outlook-published.ics")
    # Weekly Tuesday 09:00–10:00 W. Europe Standard Time = 08:00–09:00 UTC in winter.
    assert (_utc(2027, 1, 5, 8), _utc(2027, 1, 5, 9)) in busy
    # RECURRENCE-ID override: 12.01. moved to 14:00–15:30 (13:00–14:30 UTC); the 09:00 slot is free.
    assert (_utc(2027, 1, 12, 13), _utc(2027, 1, 12, 14, 30)) in busy
    assert not any(s <= _utc(2027, 1, 12, 8) < e for s, e in busy)
    # EXDATE 19.01.: no meeting that Tuesday.
    assert not any(s.date() == date(2027, 1, 19) for s, _ in busy)
    # After the switch to summer time the weekly meeting stays 09:00 Berlin = 07:00 UTC.
    assert (_utc(2027, 3, 30, 7), _utc(2027, 3, 30, 8)) in busy
    # All-day OOF (08.–09.02.) is busy for the Berlin days: 07.02. 23:00 UTC to 09.02. 23:00 UTC.
    assert (_utc(2027, 2, 7, 23), _utc(2027, 2, 9, 23)) in busy
    # Tentative counts as busy (Outlook shows it blocked).
    assert (_utc(2027, 4, 1, 13), _utc(2027, 4, 1, 14)) in busy
    # Transparent birthday, the cancelled meeting and the one marked "frei" are not busy.
    assert not any(s.date() in (date(2027, 1, 14), date(2027, 1, 15)) for s, _ in busy)


def test_only_times_are_kept_never_titles_or_people() -> None:
    busy = _read("outlook-published.ics")
    assert all(isinstance(s, datetime) and isinstance(e, datetime) and s < e for s, e in busy)
    assert all(s.tzinfo is UTC or s.utcoffset() == timedelta(0) for s, _ in busy)


def test_windows_zone_name_without_vtimezone_is_berlin_time() -> None:
    assert _read("outlook-no-vtimezone.ics") == [(_utc(2027, 3, 1, 9), _utc(2027, 3, 1, 10, 30))]


def test_vfreebusy_periods_count_except_free() -> None:
    assert _read("outlook-freebusy.ics") == [
        (_utc(2027, 1, 11, 8), _utc(2027, 1, 11, 9, 30)),
        (_utc(2027, 1, 12, 13), _utc(2027, 1, 12, 15)),
        (_utc(2027, 1, 13, 8), _utc(2027, 1, 13, 9)),
    ]


def test_the_window_is_bounded() -> None:
    busy = _read("outlook-published.ics", _utc(2027, 1, 10), _utc(2027, 1, 20))
    assert busy == [(_utc(2027, 1, 12, 13), _utc(2027, 1, 12, 14, 30))]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<html>Anmeldung erforderlich</html>", "kein iCalendar"),
        ((CALENDARS / "broken.ics").read_bytes(), "fehlerhaft"),
    ],
)
def test_broken_files_are_refused_with_a_reason(data: bytes, message: str) -> None:
    with pytest.raises(BusyParseError, match=message):
        busy_intervals(data, LO, HI)


def test_an_endless_daily_rule_runs_into_the_event_budget() -> None:
    data = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20270101T080000Z\r\n"
        b"DTEND:20270101T081000Z\r\nRRULE:FREQ=HOURLY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    with pytest.raises(BusyParseError, match="mehr als 100 Termine"):
        busy_intervals(data, LO, HI, max_events=100)


def test_fetch_from_a_local_server_follows_http_redirects_only() -> None:
    with serve_calendars() as server:
        assert fetch_calendar(server.url("umleitung.ics"), max_bytes=100_000, timeout=5).startswith(b"BEGIN:VCALENDAR")
        with pytest.raises(FetchError, match="nicht erlaubte Adresse"):
            fetch_calendar(server.url("umleitung-datei.ics"), max_bytes=100_000, timeout=5)
        with pytest.raises(FetchError, match="404"):
            fetch_calendar(server.url("fehlt.ics"), max_bytes=100_000, timeout=5)
        with pytest.raises(FetchError, match="größer als"):
            fetch_calendar(server.url("riesig.ics"), max_bytes=50_000, timeout=5)
        with pytest.raises(FetchError, match="größer als"):
            fetch_calendar(server.url("outlook-published.ics"), max_bytes=1000, timeout=5)
        with pytest.raises(FetchError, match=r"Sekunden|rechtzeitig"):
            fetch_calendar(server.url("langsam.ics"), max_bytes=100_000, timeout=0.5)


def test_rules_by_the_minute_are_refused_before_expanding() -> None:
    data = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20270101T080000Z\r\n"
        b"DTEND:20270101T080010Z\r\nRRULE:FREQ=SECONDLY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    with pytest.raises(BusyParseError, match="Sekunden- oder Minutentakt"):
        busy_intervals(data, LO, HI)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x.ics", "javascript:alert(1)", "kalender"])
def test_only_http_addresses_are_fetched(url: str) -> None:
    with pytest.raises(FetchError, match="https://"):
        fetch_calendar(url, max_bytes=1000, timeout=1)


def _source(app: Flask, url: str | None) -> int:
    with app.app_context(), session_scope(app) as s:
        person = s.scalar(select(Person).where(Person.code == "Int1")) or Person(code="Int1", title="Integration 1")
        source = BusySource(person=person, label="Outlook", url=url)
        s.add(source)
        s.flush()
        return source.id


NOW = datetime(2026, 12, 20, tzinfo=UTC)


def test_sync_stores_intervals_and_a_failure_keeps_the_last_good_ones(app: Flask) -> None:
    with serve_calendars() as server:
        good = _source(app, server.url("outlook-published.ics"))
        with app.app_context(), session_scope(app) as s:
            result = sync_source(s, s.get(BusySource, good), SyncLimits(), NOW)
            assert result.ok and result.count > 10
        server.files["outlook-published.ics"] = b"kaputt"
        with app.app_context(), session_scope(app) as s:
            source = s.get(BusySource, good)
            result = sync_source(s, source, SyncLimits(), NOW)
            assert not result.ok and "kein iCalendar" in source.last_message
            assert len(s.scalars(select(BusyInterval).where(BusyInterval.source_id == good)).all()) > 10


def test_busy_times_count_in_proposals_and_free_slots(app: Flask) -> None:
    source_id = _source(app, None)
    with app.app_context(), session_scope(app) as s:
        data = (CALENDARS / "outlook-published.ics").read_bytes()
        assert store_upload(s, s.get(BusySource, source_id), data, SyncLimits(), NOW).ok
    with app.app_context(), session_scope(app) as s:
        result = check_proposal(s, {"start": "2027-01-05T09:30", "duration": 60, "participants": ["Int1"]})
        (conflict,) = result[0].conflicts
        assert conflict.kind == "busy" and conflict.person == "Int1"
        assert "Teamrunde" not in conflict.message  # never the outside title
        assert check_proposal(s, {"start": "2027-01-05T10:00", "duration": 60, "participants": ["Int1"]})[0].ok
        slots = free_slots(s, ["Int1"], 60, date(2027, 1, 5), date(2027, 1, 6), limit=3)
        assert slots[0][0].hour == 8 and slots[0][1].hour == 9  # 08:00–09:00, then after 10:00
        assert slots[1][0].hour == 10


def test_sync_busy_command_reports_progress_a_summary_and_fails_on_errors(app: Flask, run_cli: Any) -> None:
    with serve_calendars() as server:
        _source(app, server.url("outlook-freebusy.ics"))
        _source(app, server.url("fehlt.ics"))
        result = run_cli("sync-busy")
    assert result.exit_code == 1, result.output
    assert "[1/2] Int1 – Outlook: ok" in result.output
    assert "[2/2] Int1 – Outlook: FEHLER – Der Server antwortet mit Fehler 404" in result.output
    assert "2 Kalender abgeglichen: 1 ok, 1 mit Fehler." in result.output
