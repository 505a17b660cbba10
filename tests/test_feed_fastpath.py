"""The WSGI fast path answers cached feed polls exactly as the Flask views do, and only those."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event

from calsvc import create_app
from calsvc.db import session_scope
from calsvc.models import Person

from .office_support import FEED_TOKEN, add_small_office

TOKEN = FEED_TOKEN
PATHS = [
    "/feeds/all.ics",
    "/feeds/all.ics?fuzzy=none",
    "/feeds/gremium/beirat.ics",
    f"/feeds/person/IntB.ics?token={TOKEN}",
    "/feeds/vorhaben/all.ics",
    f"/feeds/vorhaben/person/IntB.ics?token={TOKEN}",
]


@pytest.fixture
def pair(app: Flask) -> Iterator[tuple[Flask, Flask]]:
    """(with fast path, without) on one database holding a small office."""
    with app.app_context(), session_scope(app) as s:
        add_small_office(s)
    plain = create_app({**app.config, "CALSVC_FEED_FAST_PATH": False})
    yield app, plain
    plain.extensions["calsvc.engine"].dispose()


def _answer(app: Flask, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    got = app.test_client().get(path, headers=headers)
    return got.status_code, dict(got.headers), got.data


def _queries(app: Flask, path: str, **headers: str) -> tuple[int, Any]:
    """Database round trips of one request: statements, each on a pool checkout."""
    checkouts: list[int] = []
    statements: list[str] = []

    def checkout(*_a: Any) -> None:
        checkouts.append(1)

    def count(_c: Any, _cur: Any, statement: str, *_a: Any) -> None:
        statements.append(statement)

    engine = app.extensions["calsvc.engine"]
    event.listen(engine.pool, "checkout", checkout)
    event.listen(engine, "before_cursor_execute", count)
    try:
        answer = _answer(app, path, **headers)
    finally:
        event.remove(engine.pool, "checkout", checkout)
        event.remove(engine, "before_cursor_execute", count)
    assert len(checkouts) == len(statements), statements
    assert all("data_version" in statement for statement in statements), statements
    return len(statements), answer


@pytest.mark.parametrize("path", PATHS)
def test_cached_200_and_304_equal_the_views_answers(pair: tuple[Flask, Flask], path: str) -> None:
    fast, plain = pair
    reference = _answer(plain, path)  # renders and caches (the cache is per process: shared here)
    assert reference[0] == 200
    used, cached = _queries(fast, path)
    assert cached == reference and used == 1  # answered below Flask: one query
    etag = reference[1]["ETag"]
    used, not_modified = _queries(fast, path, **{"If-None-Match": etag})
    assert not_modified == _answer(plain, path, **{"If-None-Match": etag}) and used == 1
    assert not_modified[0] == 304 and not_modified[2] == b""


@pytest.mark.parametrize(
    ("path", "headers", "status"),
    [
        ("/feeds/person/IntB.ics?token=falsch", {}, 403),
        ("/feeds/person/IntB.ics", {}, 403),
        ("/feeds/person/Niemand.ics?token=x", {}, 404),
        ("/feeds/gremium/beirad.ics", {}, 404),
        ("/feeds/all.ics", {"If-None-Match": 'W/"weak"'}, 200),
        ("/feeds/all.ics", {"If-None-Match": "*"}, 304),
        ("/feeds/all.ics", {"If-Modified-Since": "Wed, 01 Jan 2020 00:00:00 GMT"}, 200),
    ],
)
def test_everything_else_is_left_to_the_views(
    pair: tuple[Flask, Flask], path: str, headers: dict[str, str], status: int
) -> None:
    fast, plain = pair
    for warm in PATHS:
        _answer(fast, warm)
    got = _answer(fast, path, **headers)
    assert got[0] == status and got == _answer(plain, path, **headers)


def test_a_new_data_version_is_never_answered_from_the_old_cache(pair: tuple[Flask, Flask]) -> None:
    fast, _ = pair
    before = _answer(fast, "/feeds/gremium/beirat.ics")
    with fast.app_context(), session_scope(fast) as s:
        s.add(Person(code="Int1", title="Koordinatorin"))
    after = _answer(fast, "/feeds/gremium/beirat.ics")
    assert after[0] == 200 and after[1]["ETag"] != before[1]["ETag"]
    assert _answer(fast, "/feeds/gremium/beirat.ics", **{"If-None-Match": before[1]["ETag"]})[0] == 200
