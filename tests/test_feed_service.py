"""The feed cache and ETags: never one database's feed for another's request."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from calsvc import create_app
from calsvc.db import current_data_version, session_scope
from calsvc.migrate import upgrade
from calsvc.models import Gremium

from .support import database_url_for_test, drop_test_database


@pytest.fixture
def second_app(tmp_path: Path) -> Iterator[Flask]:
    other = tmp_path / "other"
    other.mkdir()
    url = database_url_for_test(other)
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "x", "CALSVC_UID_HOST": "test.calsvc"})
    upgrade(app.extensions["calsvc.engine"])
    yield app
    app.extensions["calsvc.engine"].dispose()
    drop_test_database(url)


def add_gremium(app: Flask, name: str) -> int:
    with app.app_context(), session_scope(app) as s:
        s.add(Gremium(slug="beirat", name=name))
        s.flush()
        return current_data_version(s)


def test_two_databases_at_the_same_data_version_get_their_own_feeds(app: Flask, second_app: Flask) -> None:
    assert add_gremium(app, "Beirat Alpha") == add_gremium(second_app, "Beirat Beta")
    first = app.test_client().get("/feeds/gremium/beirat.ics")
    second = second_app.test_client().get("/feeds/gremium/beirat.ics")
    assert b"Beirat Alpha" in first.data and b"Beirat Beta" in second.data


def test_a_gremium_name_with_line_breaks_makes_a_one_line_calendar_name(app: Flask) -> None:
    add_gremium(app, "Beirat\r\nfür\tPartizipation")
    response = app.test_client().get("/feeds/gremium/beirat.ics")
    assert response.status_code == 200
    assert b"X-WR-CALNAME:Beirat f\xc3\xbcr Partizipation\r\n" in response.data
    assert "X-WR-CALDESC:Termine: Beirat für Partizipation (" in response.get_data(as_text=True)
