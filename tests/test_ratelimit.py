"""Login rate limiting: the sliding window itself, and 429 with Retry-After through Flask."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask, request

from calsvc.web.ratelimit import SlidingWindowLimiter, limit_login, login_succeeded


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
def login_app(app: Flask) -> Flask:
    """The app with a stand-in login (test-only route): password "richtig" is correct."""
    app.config["CALSVC_LOGIN_ATTEMPTS"] = 3

    def fake_login() -> Any:
        username = request.form.get("username", "")
        limit_login(username)
        if request.form.get("password") != "richtig":
            return "falsch", 401
        login_succeeded(username)
        return "ok"

    app.add_url_rule("/test-login", "test_login", fake_login, methods=["POST"])
    app.add_url_rule("/api/v1/test-login", "test_api_login", fake_login, methods=["POST"])
    return app


def post(app: Flask, path: str = "/test-login", ip: str = "192.0.2.1", **form: str) -> Any:
    return app.test_client().post(path, data=form, environ_base={"REMOTE_ADDR": ip})


def test_the_fourth_wrong_password_gets_429_in_german_with_retry_after(login_app: Flask) -> None:
    for _ in range(3):
        assert post(login_app, username="anna", password="x").status_code == 401
    response = post(login_app, username="Anna ", password="richtig")  # same user, other spelling
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 900
    body = response.get_data(as_text=True)
    assert "Zu viele Anmeldeversuche. Bitte in 15 Minuten erneut versuchen." in body
    assert "Zu viele Anfragen" in body and "anna" not in body.lower().replace("anmeld", "")
    assert response.headers["Content-Security-Policy"]


def test_other_users_and_addresses_are_not_blocked(login_app: Flask) -> None:
    for _ in range(4):
        post(login_app, username="anna", password="x")
    assert post(login_app, username="bert", password="richtig").status_code == 200
    assert post(login_app, ip="192.0.2.99", username="anna", password="richtig").status_code == 200


def test_a_successful_login_resets_the_count(login_app: Flask) -> None:
    for _ in range(2):
        post(login_app, username="anna", password="x")
    assert post(login_app, username="anna", password="richtig").status_code == 200
    for _ in range(2):
        assert post(login_app, username="anna", password="x").status_code == 401
    assert post(login_app, username="anna", password="richtig").status_code == 200


def test_api_clients_get_json_429(login_app: Flask) -> None:
    for _ in range(3):
        post(login_app, "/api/v1/test-login", username="anna", password="x")
    response = post(login_app, "/api/v1/test-login", username="anna", password="x")
    assert response.status_code == 429 and "Retry-After" in response.headers
    assert response.get_json()["error"]["code"] == "too_many_requests"


def test_the_limit_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    from calsvc import create_app

    monkeypatch.setenv("CALSVC_LOGIN_ATTEMPTS", "7")
    monkeypatch.setenv("CALSVC_LOGIN_WINDOW_SECONDS", "60")
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "x"})
    assert (app.config["CALSVC_LOGIN_ATTEMPTS"], app.config["CALSVC_LOGIN_WINDOW_SECONDS"]) == (7, 60)
