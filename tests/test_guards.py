"""Bounded work per request: shared limits on expensive anonymous endpoints, trusted proxies,
body size and JSON depth, unique-constraint races as 409, bad ``?ab=`` dates, the audit trail."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask, request

from calsvc import create_app
from calsvc.db import get_session
from calsvc.models import Activity, Gremium, MeetingSeries
from calsvc.web.guards import json_depth

from .editing_support import login, make_token, make_user

FREE_SLOTS = "/api/v1/free-slots?people=IntB&from=2024-05-01&to=2024-05-31&minutes=60"
EXPENSIVE = [
    ("get", FREE_SLOTS),
    ("get", "/api/v1/conflicts?from=2024-05-01&to=2024-05-31"),
    ("get", "/konflikte"),
    ("get", "/bericht/2024/Q2.csv"),
    ("post", "/api/v1/conflicts/check"),
]


@pytest.fixture
def limited(app: Flask) -> Flask:
    app.config.update(CALSVC_EXPENSIVE_REQUESTS=3, CALSVC_EXPENSIVE_WINDOW_SECONDS=60)
    return app


def from_ip(app: Flask, ip: str) -> Any:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = ip
    return client


@pytest.mark.parametrize(("method", "url"), EXPENSIVE)
def test_expensive_endpoints_are_limited_per_address(limited: Flask, method: str, url: str) -> None:
    client = from_ip(limited, "198.51.100.7")
    for _ in range(3):
        assert getattr(client, method)(url, json={} if method == "post" else None).status_code != 429
    response = getattr(client, method)(url, json={} if method == "post" else None)
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert "Zu viele aufwendige Anfragen" in response.get_data(as_text=True)
    assert from_ip(limited, "198.51.100.8").get(FREE_SLOTS).status_code != 429  # others go on


def test_the_limit_is_shared_by_all_expensive_endpoints_but_not_cheap_ones(limited: Flask) -> None:
    client = from_ip(limited, "198.51.100.7")
    for method, url in EXPENSIVE[:3]:
        assert getattr(client, method)(url).status_code != 429
    assert client.get("/api/v1/free-slots").status_code == 429
    assert client.get("/api/v1/conflicts").get_json()["error"]["code"] == "too_many_requests"
    assert client.get("/healthz").status_code == 200
    assert client.get("/api/v1/series").status_code == 200


def test_editors_and_token_clients_are_not_limited(limited: Flask, run_cli: Any) -> None:
    make_user(run_cli, "erika")
    make_user(run_cli, "vera", role="viewer")
    token = make_token(run_cli, "vera")
    editor = from_ip(limited, "198.51.100.7")
    assert login(editor).status_code == 302
    api = from_ip(limited, "198.51.100.7")
    for _ in range(5):
        assert editor.get(FREE_SLOTS).status_code != 429
        assert api.get(FREE_SLOTS, headers={"Authorization": f"Bearer {token}"}).status_code != 429
    for _ in range(3):
        from_ip(limited, "198.51.100.7").get(FREE_SLOTS, headers={"Authorization": "Bearer falsch"})
    assert from_ip(limited, "198.51.100.7").get(FREE_SLOTS).status_code == 429  # a wrong token counts


def test_settings_have_defaults_and_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "x"})
    assert (app.config["CALSVC_EXPENSIVE_REQUESTS"], app.config["CALSVC_EXPENSIVE_WINDOW_SECONDS"]) == (30, 60)
    assert app.config["MAX_CONTENT_LENGTH"] == 1024 * 1024
    monkeypatch.setenv("CALSVC_EXPENSIVE_REQUESTS", "9")
    monkeypatch.setenv("CALSVC_MAX_BODY_BYTES", "2048")
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "x"})
    assert (app.config["CALSVC_EXPENSIVE_REQUESTS"], app.config["MAX_CONTENT_LENGTH"]) == (9, 2048)


def test_without_trusted_proxies_forwarded_addresses_are_ignored(limited: Flask) -> None:
    client = from_ip(limited, "10.0.0.1")  # the proxy
    for n in range(3):
        client.get(FREE_SLOTS, headers={"X-Forwarded-For": f"203.0.113.{n}"})
    assert client.get(FREE_SLOTS, headers={"X-Forwarded-For": "203.0.113.99"}).status_code == 429


def test_behind_one_trusted_proxy_each_client_has_its_own_limit(tmp_path: Any) -> None:
    from calsvc.migrate import upgrade

    from .support import database_url_for_test, drop_test_database

    url = database_url_for_test(tmp_path)
    app = create_app(
        {"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "x", "CALSVC_TRUSTED_PROXIES": 1}
        | {"CALSVC_EXPENSIVE_REQUESTS": 3}
    )
    upgrade(app.extensions["calsvc.engine"])
    app.add_url_rule("/test-where", "test_where", lambda: f"{request.url_root} {request.remote_addr}")
    try:
        client = from_ip(app, "10.0.0.1")
        for _n in range(3):
            assert client.get(FREE_SLOTS, headers={"X-Forwarded-For": "203.0.113.1"}).status_code != 429
        assert client.get(FREE_SLOTS, headers={"X-Forwarded-For": "203.0.113.1"}).status_code == 429
        assert client.get(FREE_SLOTS, headers={"X-Forwarded-For": "203.0.113.2"}).status_code != 429
        forwarded = {"X-Forwarded-For": "203.0.113.5", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "kal.example"}
        assert client.get("/test-where", headers=forwarded).get_data(as_text=True) == "https://kal.example/ 203.0.113.5"
    finally:
        app.extensions["calsvc.engine"].dispose()
        drop_test_database(url)


def test_a_body_over_the_limit_is_413_json_or_german(app: Flask) -> None:
    client = app.test_client()
    big = b"x" * (1024 * 1024 + 1)
    response = client.post("/api/v1/conflicts/check", data=big, content_type="application/json")
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "request_entity_too_large"
    page = client.post("/anmelden", data=big, content_type="application/x-www-form-urlencoded")
    assert page.status_code == 413 and "Anfrage zu groß" in page.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/healthz", "/api/v1/conflicts/check", "/api/v1/series", "/anmelden"])
def test_deeply_nested_json_is_400_naming_body_anywhere(app: Flask, url: str) -> None:
    response = app.test_client().post(url, data="[" * 5000 + "]" * 5000, content_type="application/json")
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    if url.startswith("/api/"):
        assert response.get_json()["error"] == {
            "code": "bad_request",
            "message": "Der JSON-Inhalt ist tiefer als 32 Ebenen verschachtelt.",
            "field": "body",
        }


def test_nesting_up_to_32_levels_is_fine_and_brackets_in_strings_do_not_count(app: Flask) -> None:
    assert json_depth('{"a": [[1]], "b": "[[[[{{{{"}') == 3
    body = "[" * 32 + "]" * 32
    assert app.test_client().post("/healthz", data=body, content_type="application/json").status_code == 405


@pytest.fixture
def race_app(app: Flask) -> Flask:
    """Test-only routes that insert a duplicate like two concurrent creates would."""

    def twin_gremium() -> Any:
        session = get_session()
        session.add(Gremium(slug="beirat", name="Beirat"))
        session.commit()
        session.add(Gremium(slug="beirat", name="Beirat, zweimal"))
        session.commit()
        return "unreachable"

    def twin_activity() -> Any:
        session = get_session()
        session.add(Activity(plan_year=2024, number=8, title="A", terminierung="laufend"))
        session.commit()
        session.add(Activity(plan_year=2024, number=8, title="B", terminierung="laufend"))
        session.commit()
        return "unreachable"

    app.add_url_rule("/api/v1/test-twin-gremium", "test_twin_gremium", twin_gremium)
    app.add_url_rule("/test-twin-activity", "test_twin_activity", twin_activity)
    return app


def test_a_unique_constraint_race_is_409_naming_the_field(race_app: Flask) -> None:
    client = race_app.test_client()
    response = client.get("/api/v1/test-twin-gremium")
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "conflict" and error["field"] == "slug"
    assert "gleichzeitig" in error["message"]
    response = client.get("/test-twin-activity", headers={"Accept": "application/json"})
    assert response.status_code == 409 and response.get_json()["error"]["field"] == "number"
    page = client.get("/test-twin-activity")
    assert page.status_code == 409 and "Konflikt" in page.get_data(as_text=True)


def test_the_session_is_rolled_back_after_a_409(race_app: Flask) -> None:
    seen: list[Any] = []

    @race_app.teardown_request
    def _look(_exc: Any) -> None:
        seen.append(get_session().is_active and not get_session().in_transaction())

    assert race_app.test_client().get("/api/v1/test-twin-gremium").status_code == 409
    assert seen == [True]


@pytest.mark.parametrize("day", ["2024-02-30", "0001-01-01", "9999-12-31", "2024-13-01", "heute"])
def test_a_nonsense_ab_date_on_the_series_page_is_ignored(app: Flask, run_cli: Any, day: str) -> None:
    from datetime import datetime

    from calsvc.db import session_scope

    with app.app_context(), session_scope(app) as s:
        series = MeetingSeries(title="Beirat", dtstart=datetime(2024, 1, 3, 17), duration_minutes=60)
        s.add(series)
        s.flush()
        series_id = series.id
    make_user(run_cli, "erika")
    client = app.test_client()
    login(client)
    assert client.get(f"/bearbeiten/serien/{series_id}?ab={day}").status_code == 200


def test_the_audit_trail_needs_a_login_or_a_token(app: Flask, run_cli: Any) -> None:
    url = "/api/v1/audit?object_type=series&object_id=1"
    anonymous = app.test_client().get(url)
    assert anonymous.status_code == 401
    assert anonymous.get_json()["error"]["field"] == "Authorization"
    assert app.test_client().get(url, headers={"Authorization": "Bearer falsch"}).status_code == 401
    make_user(run_cli, "vera", role="viewer")
    token = make_token(run_cli, "vera")
    assert app.test_client().get(url, headers={"Authorization": f"Bearer {token}"}).status_code == 200
    browser = app.test_client()
    assert login(browser, "vera").status_code == 302
    assert browser.get(url).status_code == 200
