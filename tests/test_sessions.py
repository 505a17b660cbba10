"""Sessions end on the server: after CALSVC_SESSION_HOURS, at logout (also for copied cookies),
on a new password and on deactivation."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask

from calsvc import create_app
from calsvc.db import session_scope
from calsvc.editing.accounts import deactivate_user, set_password

from .editing_support import csrf_from, login, make_user

EDIT_PAGE = "/bearbeiten/"


def logged_in(app: Flask, run_cli: Any) -> Any:
    make_user(run_cli, "erika")
    client = app.test_client()
    assert login(client).status_code == 302
    assert client.get(EDIT_PAGE).status_code == 200
    return client


def is_logged_out(client: Any) -> bool:
    response = client.get(EDIT_PAGE)
    return response.status_code == 302 and "/anmelden" in response.headers["Location"]


def test_the_cookie_lifetime_is_ten_hours_not_flasks_31_days(app: Flask) -> None:
    assert app.config["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=10)


def test_the_lifetime_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALSVC_SESSION_HOURS", "2")
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "x"})
    assert app.config["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=2)


def test_a_login_older_than_the_lifetime_is_refused_by_the_server(app: Flask, run_cli: Any) -> None:
    client = logged_in(app, run_cli)
    with client.session_transaction() as cookie:  # what a kept (or stolen) cookie from yesterday carries
        cookie["login_at"] = int(time.time()) - 10 * 3600 - 5
    assert is_logged_out(client)


def test_a_login_within_the_lifetime_stays(app: Flask, run_cli: Any) -> None:
    client = logged_in(app, run_cli)
    with client.session_transaction() as cookie:
        cookie["login_at"] = int(time.time()) - 9 * 3600
    assert client.get(EDIT_PAGE).status_code == 200


def test_a_cookie_copied_before_logout_no_longer_works(app: Flask, run_cli: Any) -> None:
    client = logged_in(app, run_cli)
    copy = app.test_client()
    cookie = client.get_cookie("session")
    copy.set_cookie("session", cookie.value)
    assert copy.get(EDIT_PAGE).status_code == 200
    page = client.get("/abmelden")
    assert client.post("/abmelden", data={"csrf_token": csrf_from(page)}).status_code == 302
    assert is_logged_out(copy)
    assert login(client).status_code == 302  # logging in again works
    assert client.get(EDIT_PAGE).status_code == 200


def test_a_new_password_ends_every_session(app: Flask, run_cli: Any) -> None:
    client = logged_in(app, run_cli)
    with app.app_context(), session_scope(app) as s:
        set_password(s, "erika", "ein-ganz-neues-passwort")
    assert is_logged_out(client)
    assert login(client, password="ein-ganz-neues-passwort").status_code == 302


def test_the_commands_change_a_password_and_lock_a_user_out(app: Flask, run_cli: Any) -> None:
    client = logged_in(app, run_cli)
    changed = run_cli("set-password", "erika", "--password-stdin", input="noch-ein-neues-passwort\n")
    assert changed.exit_code == 0 and "beendet" in changed.output
    assert is_logged_out(client)
    assert login(client, password="noch-ein-neues-passwort").status_code == 302
    locked = run_cli("deactivate-user", "erika")
    assert locked.exit_code == 0 and is_logged_out(client)
    assert login(client, password="noch-ein-neues-passwort").status_code == 401
    assert run_cli("deactivate-user", "niemand").exit_code != 0


def test_deactivation_ends_every_session(app: Flask, run_cli: Any) -> None:
    client = logged_in(app, run_cli)
    with app.app_context(), session_scope(app) as s:
        deactivate_user(s, "erika")
    assert is_logged_out(client)
    assert login(client).status_code == 401


def test_a_session_from_before_epochs_is_refused(app: Flask, run_cli: Any) -> None:
    """Cookies issued before this change carry no epoch and no login time: log in again."""
    client = logged_in(app, run_cli)
    with client.session_transaction() as cookie:
        del cookie["epoch"]
    assert is_logged_out(client)
