"""A person logs in with a real browser over plain http, as after ``make run``."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from calsvc import create_app

from .browser_support import chromium, live_server

pytestmark = pytest.mark.browser


def test_login_over_plain_http_keeps_the_session(app: Flask, run_cli: Any, monkeypatch: Any) -> None:
    """Regression: a Secure session cookie on http://127.0.0.1 was dropped, so login looped."""
    monkeypatch.delenv("CALSVC_SECURE_COOKIES", raising=False)
    assert run_cli("create-user", "anna", "--role", "editor", "--password-stdin", input="geheim-123\n").exit_code == 0
    production_like = create_app({"DATABASE_URL": app.config["DATABASE_URL"], "SECRET_KEY": "s3cret"})
    with live_server(production_like) as base, chromium() as browser:
        page = browser.new_page()
        page.goto(f"{base}/anmelden?next=/bearbeiten/")
        page.fill("input[name=name]", "anna")
        page.fill("input[name=password]", "geheim-123")
        page.click("form.edit-form button[type=submit]")
        page.wait_for_load_state()
        assert page.url == f"{base}/bearbeiten/"
        assert "Abmelden" in page.content()
