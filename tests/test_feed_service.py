"""The feed cache and ETags: never one database's feed for another's request."""

from __future__ import annotations

from flask import Flask

from calsvc.admin.secrets import hash_token
from calsvc.db import current_data_version, session_scope
from calsvc.models import Gremium, Person


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


def test_a_token_of_one_database_never_opens_the_feed_of_another(app: Flask, second_app: Flask) -> None:
    """The slug/token cache is per database and version: a reset database restarts its versions."""
    versions = []
    for application, token in (
        (app, "token-der-ersten-datenbank-0123456789abc"),
        (second_app, "ein-ganz-anderes-token"),
    ):
        with application.app_context(), session_scope(application) as s:
            s.add(Person(code="IntB", title="Integrationsbeauftragte", feed_token_hash=hash_token(token)))
            s.flush()
            versions.append(current_data_version(s))
    assert versions[0] == versions[1]
    first = app.test_client().get("/feeds/person/IntB.ics?token=token-der-ersten-datenbank-0123456789abc")
    assert first.status_code == 200  # the caches now hold the first database's keys and feed
    second = second_app.test_client().get("/feeds/person/IntB.ics?token=token-der-ersten-datenbank-0123456789abc")
    assert second.status_code == 403
