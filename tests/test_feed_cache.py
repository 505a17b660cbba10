"""Feed caching stays correct: two app instances on one database act like two gunicorn workers.

Each worker caches rendered feeds (and the token hashes and slugs it checks) by the data version
in the database; any write bumps it, so the next poll at *any* worker sees the edit.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, select

from calsvc import create_app
from calsvc.admin.secrets import hash_token
from calsvc.db import session_scope
from calsvc.models import Gremium, MeetingSeries, Person, SeriesException
from calsvc.publishing.service import CACHE, KEYS

from .editing_support import make_token, make_user
from .office_support import FEED_TOKEN, add_small_office

TOKEN = FEED_TOKEN
GREMIUM = "/feeds/gremium/beirat.ics"
PERSON = f"/feeds/person/IntB.ics?token={TOKEN}"


@pytest.fixture
def workers(app: Flask) -> Iterator[tuple[Flask, Flask]]:
    """The migrated app plus a second instance on the same database, with a small office in it."""
    with app.app_context(), session_scope(app) as s:
        add_small_office(s)
    other = create_app({**app.config, "TESTING": True})
    yield app, other
    other.extensions["calsvc.engine"].dispose()


def _get(app: Flask, path: str, **headers: str) -> Any:
    return app.test_client().get(path, headers=headers)


def test_unchanged_data_gives_the_same_etag_and_bytes_in_every_worker(workers: tuple[Flask, Flask]) -> None:
    one, two = workers
    first, again, elsewhere = _get(one, GREMIUM), _get(one, GREMIUM), _get(two, GREMIUM)
    assert first.status_code == again.status_code == elsewhere.status_code == 200
    assert first.headers["ETag"] == again.headers["ETag"] == elsewhere.headers["ETag"]
    assert first.data == again.data == elsewhere.data
    CACHE.clear()  # a fresh render of unchanged data is byte-identical, too
    assert _get(two, GREMIUM).data == first.data
    assert _get(two, GREMIUM, **{"If-None-Match": first.headers["ETag"]}).status_code == 304


@pytest.mark.parametrize("path", [GREMIUM, PERSON, "/feeds/all.ics"])
def test_an_edit_through_the_models_in_one_worker_shows_in_the_other_at_once(
    workers: tuple[Flask, Flask], path: str
) -> None:
    one, two = workers
    before = _get(two, path)  # worker two has the feed cached now
    assert _get(two, path).data == before.data and b"Beiratssitzung" in before.data
    with one.app_context(), session_scope(one) as s:
        series = s.scalar(select(MeetingSeries))
        assert series is not None
        series.title = "Beirat (neuer Titel)"
    after = _get(two, path)
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
    assert b"Beirat (neuer Titel)" in after.data and b"Beiratssitzung" not in after.data
    revalidated = _get(two, path, **{"If-None-Match": before.headers["ETag"]})
    assert revalidated.status_code == 200 and revalidated.data == after.data  # the old copy is not current
    assert _get(one, path).data == after.data


def test_a_cancelled_date_reaches_the_other_worker_as_an_exdate(workers: tuple[Flask, Flask]) -> None:
    one, two = workers
    before = _get(two, GREMIUM)
    assert b"EXDATE" not in before.data
    with one.app_context(), session_scope(one) as s:
        series = s.scalar(select(MeetingSeries))
        assert series is not None
        series.exceptions.append(SeriesException(recurrence_id=datetime(2026, 2, 4, 17), cancelled=True))
    after = _get(two, GREMIUM)
    assert after.headers["ETag"] != before.headers["ETag"]
    assert b"EXDATE;TZID=Europe/Berlin:20260204T170000" in after.data


def test_a_reset_token_and_a_removed_gremium_count_in_the_other_worker(workers: tuple[Flask, Flask]) -> None:
    one, two = workers
    assert _get(two, PERSON).status_code == 200 and _get(two, GREMIUM).status_code == 200
    assert KEYS.keys is not None  # worker two knows the token hash and the slug now
    with one.app_context(), session_scope(one) as s:
        person = s.scalar(select(Person).where(Person.code == "IntB"))
        assert person is not None
        person.feed_token_hash = hash_token("ein-neuer-link-token")
    assert _get(two, PERSON).status_code == 403
    assert _get(two, "/feeds/person/IntB.ics?token=ein-neuer-link-token").status_code == 200
    with one.app_context(), session_scope(one) as s:
        s.delete(s.scalar(select(Gremium).where(Gremium.slug == "beirat")))
    assert _get(two, GREMIUM).status_code == 404
    assert _get(two, "/feeds/person/Niemand.ics?token=x").status_code == 404


def test_an_edit_through_the_api_shows_in_the_other_worker(workers: tuple[Flask, Flask], run_cli: Any) -> None:
    one, two = workers
    make_user(run_cli, "erika", "editor")
    token = make_token(run_cli, "erika")
    before = _get(two, GREMIUM)
    client = one.test_client()
    sid = client.get("/api/v1/series").json["series"][0]["id"]
    version = client.get(f"/api/v1/series/{sid}").headers["ETag"]
    patched = client.patch(
        f"/api/v1/series/{sid}",
        json={"location": "Raum 2.14"},
        headers={"Authorization": f"Bearer {token}", "If-Match": version},
    )
    assert patched.status_code == 200, patched.json
    after = _get(two, GREMIUM)
    assert after.headers["ETag"] != before.headers["ETag"]
    assert b"LOCATION:Raum 2.14" in after.data and b"BVV-Saal" not in after.data


@pytest.mark.parametrize("path", [GREMIUM, PERSON, "/feeds/all.ics"])
def test_a_poll_of_an_unchanged_feed_costs_one_query(workers: tuple[Flask, Flask], path: str) -> None:
    _, two = workers
    etag = _get(two, path).headers["ETag"]
    engine = two.extensions["calsvc.engine"]
    checkouts: list[int] = []
    statements: list[str] = []

    def checkout(*_args: Any) -> None:
        checkouts.append(1)

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine.pool, "checkout", checkout)
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert _get(two, path).status_code == 200
        assert _get(two, path, **{"If-None-Match": etag}).status_code == 304
    finally:
        event.remove(engine.pool, "checkout", checkout)
        event.remove(engine, "before_cursor_execute", count)
    # One connection use per poll, for the data-version read.
    assert len(checkouts) == len(statements) == 2
    assert all("data_version" in statement for statement in statements)
