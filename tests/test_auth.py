"""Login/logout pages, secure session cookies, CSRF on every form, safe redirects."""

from __future__ import annotations

from typing import Any

from flask import Flask

from calsvc import create_app

from .editing_support import PASSWORD, csrf_from, login, make_user


def test_login_page_is_german_and_wrong_passwords_fail(client: Any, run_cli: Any) -> None:
    page = client.get("/anmelden")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Anmelden" in text and "Passwort" in text
    make_user(run_cli)
    wrong = client.post("/anmelden", data={"csrf_token": csrf_from(page), "name": "erika", "password": "falsch"})
    assert wrong.status_code == 401 and "falsch" in wrong.get_data(as_text=True)
    no_csrf = client.post("/anmelden", data={"name": "erika", "password": PASSWORD})
    assert no_csrf.status_code == 400


def test_login_sets_a_hardened_cookie_and_nav_shows_the_user(client: Any, run_cli: Any) -> None:
    make_user(run_cli)
    answer = login(client)
    assert answer.status_code == 302 and answer.headers["Location"] == "/bearbeiten/"
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = client.get("/").get_data(as_text=True)
    assert "erika" in page and "Abmelden" in page and "Anmelden</a>" not in page
    logout = client.post("/abmelden", data={"csrf_token": csrf_from(page)})
    assert logout.status_code == 302
    assert "Anmelden</a>" in client.get("/").get_data(as_text=True)
    assert client.get("/bearbeiten/").status_code == 302


def test_next_parameter_only_redirects_within_the_site(client: Any, run_cli: Any) -> None:
    make_user(run_cli)
    page = client.get("/anmelden")
    form = {"csrf_token": csrf_from(page), "name": "erika", "password": PASSWORD}
    evil = client.post("/anmelden?next=//evil.example/x", data=form)
    assert evil.headers["Location"] == "/bearbeiten/"
    client.post("/abmelden", data={"csrf_token": csrf_from(client.get("/abmelden"))})
    page = client.get("/anmelden")
    good = client.post("/anmelden?next=/bearbeiten/serien/neu", data={**form, "csrf_token": csrf_from(page)})
    assert good.headers["Location"] == "/bearbeiten/serien/neu"


def test_redirect_to_login_keeps_the_target(client: Any) -> None:
    answer = client.get("/bearbeiten/serien/neu")
    assert answer.status_code == 302 and "/anmelden?next=/bearbeiten/serien/neu" in answer.headers["Location"]


def test_secure_cookies_follow_the_public_address(tmp_path: Any, monkeypatch: Any) -> None:
    """Regression: Secure cookies on make run's plain http://127.0.0.1:8000 made login impossible."""
    monkeypatch.delenv("CALSVC_SECURE_COOKIES", raising=False)
    url = f"sqlite:///{tmp_path}/x.sqlite3"
    local = create_app({"SECRET_KEY": "x", "DATABASE_URL": url})
    assert local.config["SESSION_COOKIE_SECURE"] is False
    public = create_app({"SECRET_KEY": "x", "DATABASE_URL": url, "CALSVC_PUBLIC_BASE_URL": "https://kalender.example"})
    assert public.config["SESSION_COOKIE_SECURE"] is True
    monkeypatch.setenv("CALSVC_SECURE_COOKIES", "1")
    assert create_app({"SECRET_KEY": "x", "DATABASE_URL": url}).config["SESSION_COOKIE_SECURE"] is True
    monkeypatch.setenv("CALSVC_SECURE_COOKIES", "0")
    assert (
        create_app({"SECRET_KEY": "x", "DATABASE_URL": url, "CALSVC_PUBLIC_BASE_URL": "https://k.example"}).config[
            "SESSION_COOKIE_SECURE"
        ]
        is False
    )


def test_anonymous_pages_set_no_session_cookie(app: Flask) -> None:
    answer = app.test_client().get("/")
    assert "Set-Cookie" not in answer.headers
