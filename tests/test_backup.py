"""Backup and restore: every row round-trips, a restore is all-or-nothing."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from calsvc.admin.backup import dump, restore
from calsvc.db import session_scope
from calsvc.errors import ValidationError
from calsvc.invitations.service import invite
from calsvc.invitations.settings import mail_settings
from calsvc.models import (
    Absence,
    Activity,
    ActivityPeriod,
    ActivityProgress,
    BusyInterval,
    BusySource,
    ClosureDay,
    ConflictAck,
    ExtraDate,
    Gremium,
    MeetingSeries,
    Membership,
    Person,
    SeriesException,
    User,
)


def fill(app: Flask) -> None:
    with app.app_context(), session_scope(app) as s:
        intb = Person(code="IntB", title="Integrationsbeauftragte", name="Irina Warkentin")
        int2 = Person(code="Int2", title="Koordinator:in", vacant=True, vacant_from=date(2024, 1, 1))
        beirat = Gremium(slug="beirat", name="Beirat für Partizipation und Integration")
        ag = Gremium(slug="ag-frauen", name="AG Frauen und Integration", parent=beirat)
        beirat.memberships += [Membership(person=intb, role="lead"), Membership(person=int2)]
        ag.memberships.append(Membership(person=intb))
        series = MeetingSeries(
            gremium=beirat,
            title="Beirat; Sitzung, „öffentlich“",
            dtstart=datetime(2024, 1, 3, 17),
            duration_minutes=150,
            rrule="FREQ=MONTHLY;BYDAY=1WE",
            location="BVV-Saal",
        )
        series.exceptions.append(SeriesException(recurrence_id=datetime(2024, 5, 1, 17), cancelled=True))
        series.extra_dates.append(ExtraDate(start=datetime(2024, 8, 21, 17)))
        activity = Activity(plan_year=2024, number=8, title="Startgespräche", terminierung="II. Quartal 2024")
        activity.responsible.append(intb)
        activity.periods.append(ActivityPeriod(start=date(2024, 4, 1), end=date(2024, 6, 30), precision="quarter"))
        activity.progress.append(ActivityProgress(day=date(2024, 5, 2), status="in Arbeit", note="erste Termine"))
        s.add_all([series, ag, activity])
        intb.email = "intb@bezirk.example"
        s.flush()
        invite(s, "erika", series, mail_settings(), datetime(2024, 1, 2, tzinfo=UTC))  # the outbox is data too
        # Issue 16: accounts of persons, absences, closures, outside calendars, acknowledged conflicts.
        source = BusySource(person=intb, label="Outlook", url="https://outlook.example/cal.ics", last_ok=True)
        source.intervals.append(BusyInterval(start=datetime(2024, 5, 7, 8), end=datetime(2024, 5, 7, 9)))
        s.add_all([
            User(name="irina", role="viewer", password_hash="x", person=intb),
            Absence(person=intb, kind="urlaub", start_day=date(2024, 7, 1), end_day=date(2024, 7, 12)),
            Absence(person=intb, kind="dienstreise", start_day=date(2024, 9, 2), end_day=date(2024, 9, 2),
                    start_time=time(13), end_time=None),
            ClosureDay(day=date(2024, 12, 24), reason="Heiligabend"),
            source,
            ConflictAck(key="a" * 64, actor="erika", summary="bekannt"),
        ])  # fmt: skip


def tables_of(app: Flask) -> dict[str, Any]:
    with app.app_context(), session_scope(app) as s:
        data = dump(s)["tables"]
    data.pop("data_version")
    return data


def test_backup_restores_every_row_on_another_database(
    app: Flask, second_app: Flask, run_cli: Any, tmp_path: Path
) -> None:
    fill(app)
    target = tmp_path / "sicherung.json"
    result = run_cli("backup", str(target))
    assert result.exit_code == 0, result.output
    with second_app.app_context(), session_scope(second_app) as s:
        restore(s, json.loads(target.read_text(encoding="utf-8")))
    assert tables_of(second_app) == tables_of(app)
    assert len(tables_of(second_app)["outbox_message"]) == 2  # the series and its extra date, to IntB
    with second_app.app_context(), session_scope(second_app) as s:  # ids continue after the restored ones
        s.add(Person(code="BA", title="Büroassistenz"))
        s.flush()
        assert s.scalar(select(Person.id).where(Person.code == "BA")) > 2


def test_restore_refuses_a_non_empty_database_and_changes_nothing(app: Flask) -> None:
    fill(app)
    before = tables_of(app)
    with app.app_context(), session_scope(app) as s:
        data = dump(s)
    with pytest.raises(ValidationError) as err, app.app_context(), session_scope(app) as s:
        restore(s, data)
    assert err.value.field == "database"
    assert tables_of(app) == before


def test_a_broken_backup_rolls_back_a_replace(app: Flask) -> None:
    fill(app)
    before = tables_of(app)
    with app.app_context(), session_scope(app) as s:
        data = dump(s)
    data["tables"]["membership"].append({"id": 99, "gremium_id": 12345, "person_id": 1, "role": "member"})
    with pytest.raises(IntegrityError), app.app_context(), session_scope(app) as s:
        restore(s, data, replace=True)
    assert tables_of(app) == before


def test_restore_rejects_foreign_files(app: Flask, run_cli: Any, tmp_path: Path) -> None:
    wrong = tmp_path / "x.json"
    wrong.write_text('{"format": "other"}')
    result = run_cli("restore", str(wrong))
    assert result.exit_code == 1 and "Keine calsvc-Sicherung" in result.output


def test_nul_is_dropped_on_write_and_restore_so_backups_move_to_postgresql(app: Flask, second_app: Flask) -> None:
    with app.app_context(), session_scope(app) as s:
        s.add(Person(code="IntB", title="Integrations\x00beauftragte", notes="a\x00b"))
    with app.app_context(), session_scope(app) as s:
        person = s.scalar(select(Person))
        assert person is not None and (person.title, person.notes) == ("Integrationsbeauftragte", "ab")
        person.notes = "c\x00d"  # updates too
    with app.app_context(), session_scope(app) as s:
        data = dump(s)
    assert data["tables"]["person"][0]["notes"] == "cd"
    data["tables"]["person"][0]["name"] = "Irina\x00 Warkentin"  # a backup written before NUL was dropped
    with second_app.app_context(), session_scope(second_app) as s:
        restore(s, data)
    with second_app.app_context(), session_scope(second_app) as s:
        assert s.scalar(select(Person.name)) == "Irina Warkentin"
