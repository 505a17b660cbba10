"""Login rate limiting: the sliding window itself, and 429 with Retry-After through Flask."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask, request
from sqlalchemy import func, select

from calsvc.db import make_engine
from calsvc.models import RateLimit
from calsvc.web.auth import csrf
from calsvc.web.ratelimit import WindowCounter, limit_login

from .editing_support import PASSWORD, login, make_user


class Clock:
    """A hand-moved wall clock."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def limiter(app: Flask, clock: Clock) -> WindowCounter:
    """A counter on the test's database (SQLite or PostgreSQL) with a hand-moved clock."""
    return WindowCounter(app.extensions["calsvc.engine"], clock=clock)


def rows(app: Flask) -> int:
    with app.extensions["calsvc.engine"].connect() as conn:
        return int(conn.execute(select(func.count()).select_from(RateLimit.__table__)).scalar_one())


def test_five_attempts_then_wait_until_the_window_ends(limiter: WindowCounter, clock: Clock) -> None:
    key = "login:10.0.0.1:anna"
    for _ in range(5):
        assert limiter.hit(key, 5, 900) is None
        clock.now += 60
    assert limiter.hit(key, 5, 900) == 900 - 300  # the window began at the first attempt (1000), ends at 1900
    clock.now = 1000 + 900
    assert limiter.hit(key, 5, 900) is None  # a new window
    assert limiter.hit(key, 5, 900) is None


def test_refused_attempts_do_not_extend_the_wait(limiter: WindowCounter, clock: Clock) -> None:
    key = "ip:u"
    limiter.hit(key, 2, 100)
    limiter.hit(key, 2, 100)
    for _ in range(10):
        assert limiter.hit(key, 2, 100) == 100
    clock.now += 100
    assert limiter.hit(key, 2, 100) is None


def test_keys_are_separate_and_reset_forgets(limiter: WindowCounter) -> None:
    assert limiter.hit("ip1:anna", 1, 900) is None
    assert limiter.hit("ip1:anna", 1, 900) is not None
    assert limiter.hit("ip2:anna", 1, 900) is None
    assert limiter.hit("ip1:bert", 1, 900) is None
    limiter.reset("ip1:anna")
    assert limiter.hit("ip1:anna", 1, 900) is None


def test_workers_and_servers_share_the_count(app: Flask, clock: Clock) -> None:
    """Two counters (two workers, or two servers on one database) see each other's hits."""
    one = WindowCounter(app.extensions["calsvc.engine"], clock=clock)
    other_engine = make_engine(app.config["DATABASE_URL"])
    try:
        two = WindowCounter(other_engine, clock=clock)
        assert one.hit("ip:anna", 2, 900) is None
        assert two.hit("ip:anna", 2, 900) is None
        assert one.hit("ip:anna", 2, 900) is not None
        assert two.hit("ip:anna", 2, 900) is not None
    finally:
        other_engine.dispose()


def test_the_table_stays_small(app: Flask, limiter: WindowCounter, clock: Clock) -> None:
    for n in range(200):
        limiter.hit(f"ip:user{n}", 1, 60)
    assert rows(app) == 200
    clock.now += 61
    limiter.hit("ip:late", 1, 60)  # a new window deletes the expired ones
    assert rows(app) == 1


@pytest.mark.parametrize(("attempts", "window"), [(0, 10), (1, 0)])
def test_nonsense_settings_are_refused(limiter: WindowCounter, attempts: int, window: int) -> None:
    with pytest.raises(ValueError):
        limiter.hit("k", attempts, window)


@pytest.fixture
def login_app(app: Flask, run_cli: Any) -> Flask:
    """The app with user erika (editing_support.PASSWORD) and a limit of 3 attempts."""
    app.config["CALSVC_LOGIN_ATTEMPTS"] = 3
    make_user(run_cli, "erika")
    make_user(run_cli, "bert")
    return app


def attempt(app: Flask, name: str = "erika", password: str = "falsch", ip: str = "192.0.2.1") -> Any:
    """One login through the real German form (with its CSRF token), from address ``ip``."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = ip
    return login(client, name, password)


def test_the_fourth_attempt_gets_429_in_german_with_retry_after(login_app: Flask) -> None:
    for _ in range(3):
        assert attempt(login_app).status_code == 401
    response = attempt(login_app, " Erika", PASSWORD)  # right password, same user in other spelling: too late
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 900
    body = response.get_data(as_text=True)
    assert "Zu viele Anmeldeversuche. Bitte in 15 Minuten erneut versuchen." in body
    assert "Zu viele Anfragen" in body and PASSWORD not in body
    assert response.headers["Content-Security-Policy"]


def test_other_users_and_addresses_are_not_blocked(login_app: Flask) -> None:
    for _ in range(4):
        attempt(login_app)
    assert attempt(login_app, "bert", PASSWORD).status_code == 302
    assert attempt(login_app, "erika", PASSWORD, ip="192.0.2.99").status_code == 302


def test_a_successful_login_resets_the_count(login_app: Flask) -> None:
    for _ in range(2):
        attempt(login_app)
    assert attempt(login_app, password=PASSWORD).status_code == 302
    for _ in range(2):
        assert attempt(login_app).status_code == 401
    assert attempt(login_app, password=PASSWORD).status_code == 302


def test_forms_without_a_valid_csrf_token_are_not_counted(login_app: Flask) -> None:
    client = login_app.test_client()
    for _ in range(5):
        assert client.post("/anmelden", data={"name": "erika", "password": "x"}).status_code == 400
    assert attempt(login_app, password=PASSWORD).status_code == 302


def test_api_clients_get_json_429(app: Flask) -> None:
    app.config["CALSVC_LOGIN_ATTEMPTS"] = 1

    def fake_login() -> Any:  # test-only route: the API itself has no password login
        limit_login(request.form.get("name", ""))
        return "ok"

    app.add_url_rule("/api/v1/test-login", "test_api_login", csrf.exempt(fake_login), methods=["POST"])
    client = app.test_client()
    assert client.post("/api/v1/test-login", data={"name": "anna"}).status_code == 200
    response = client.post("/api/v1/test-login", data={"name": "anna"})
    assert response.status_code == 429 and "Retry-After" in response.headers
    assert response.get_json()["error"]["code"] == "too_many_requests"


def test_the_limit_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    from calsvc import create_app

    monkeypatch.setenv("CALSVC_LOGIN_ATTEMPTS", "7")
    monkeypatch.setenv("CALSVC_LOGIN_WINDOW_SECONDS", "60")
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "x"})
    assert (app.config["CALSVC_LOGIN_ATTEMPTS"], app.config["CALSVC_LOGIN_WINDOW_SECONDS"]) == (7, 60)
