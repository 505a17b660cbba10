"""Login rate limiting: the sliding window itself, and 429 with Retry-After through Flask."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask, request

from calsvc.web.auth import csrf
from calsvc.web.ratelimit import SlidingWindowLimiter, limit_login

from .editing_support import PASSWORD, login, make_user


class Clock:
    """A hand-moved monotonic clock."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_five_attempts_then_wait_until_the_first_leaves_the_window() -> None:
    clock = Clock()
    limiter = SlidingWindowLimiter(5, 900, clock=clock)
    key = ("10.0.0.1", "anna")
    for _ in range(5):
        assert limiter.hit(key) is None
        clock.now += 60
    assert limiter.hit(key) == 900 - 300  # the first attempt (at 1000) leaves the window at 1900
    clock.now = 1000 + 900
    assert limiter.hit(key) is None  # sliding: exactly one slot is free again
    assert limiter.hit(key) == 60


def test_refused_attempts_do_not_extend_the_wait() -> None:
    clock = Clock()
    limiter = SlidingWindowLimiter(2, 100, clock=clock)
    key = ("ip", "u")
    limiter.hit(key)
    limiter.hit(key)
    for _ in range(10):
        assert limiter.hit(key) == 100
    clock.now += 100
    assert limiter.hit(key) is None


def test_keys_are_separate_and_reset_forgets() -> None:
    limiter = SlidingWindowLimiter(1, 900, clock=Clock())
    assert limiter.hit(("ip1", "anna")) is None
    assert limiter.hit(("ip1", "anna")) is not None
    assert limiter.hit(("ip2", "anna")) is None
    assert limiter.hit(("ip1", "bert")) is None
    limiter.reset(("ip1", "anna"))
    assert limiter.hit(("ip1", "anna")) is None


def test_memory_is_bounded() -> None:
    limiter = SlidingWindowLimiter(1, 900, clock=Clock(), max_keys=100)
    for n in range(1000):
        limiter.hit(("ip", f"user{n}"))
    assert len(limiter._hits) == 100


@pytest.mark.parametrize(("attempts", "window"), [(0, 10), (1, 0)])
def test_nonsense_settings_are_refused(attempts: int, window: float) -> None:
    with pytest.raises(ValueError):
        SlidingWindowLimiter(attempts, window)


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
