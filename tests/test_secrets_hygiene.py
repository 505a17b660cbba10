"""No secret in logs, error pages or JSON errors; a 500 shows no stack trace.

The log test runs the real ``calsvc serve`` (gunicorn, its access log and the app's log) in
a subprocess on the test database and sends requests carrying secrets in query strings,
headers and forms.
"""

from __future__ import annotations

import http.cookiejar
import json
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from flask import Flask

from calsvc.admin.backup import dump
from calsvc.admin.secrets import hash_token
from calsvc.db import session_scope

from .editing_support import PASSWORD as EDITOR_PASSWORD
from .editing_support import csrf_from, make_token, make_user

ROOT = Path(__file__).resolve().parents[1]
WRONG = "FALSCHES-GEHEIMNIS-4711-xyz"  # a secret someone sends; must never be echoed or logged
PASSWORD = "Passwort-Geheim-0815"


def feed_token(run_cli: Any) -> str:
    result: Result = run_cli("feed-token", "IntB")
    assert result.exit_code == 0, result.output
    url = next(line for line in result.output.splitlines() if line.startswith("http"))
    return url.split("token=", 1)[1]


def test_a_feed_token_is_stored_only_as_its_hash(demo_app: Flask, run_cli: Any) -> None:
    token = feed_token(run_cli)
    assert len(token) >= 43  # >= 256 bits
    with demo_app.app_context(), session_scope(demo_app) as s:
        data = dump(s)
    text = repr(data)
    assert token not in text and hash_token(token) in text


def test_api_tokens_and_passwords_are_stored_only_hashed(demo_app: Flask, run_cli: Any) -> None:
    make_user(run_cli, "erika")
    token = make_token(run_cli, "erika")
    assert len(token) >= 43
    with demo_app.app_context(), session_scope(demo_app) as s:
        text = repr(dump(s))
    assert token not in text and hash_token(token) in text
    assert EDITOR_PASSWORD not in text


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _request(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


@pytest.mark.slow
def test_gunicorn_and_app_logs_and_answers_carry_no_secret(demo_app: Flask, run_cli: Any, tmp_path: Path) -> None:
    token = feed_token(run_cli)
    make_user(run_cli, "erika")
    api_token = make_token(run_cli, "erika")
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": demo_app.config["DATABASE_URL"],
        "CALSVC_SECRET_KEY": "test-secret",
        "CALSVC_SECURE_COOKIES": "0",  # plain http on 127.0.0.1: let the session cookie travel
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
    }
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "calsvc", "serve", "--port", str(port), "--workers", "1"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if _request(base + "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "calsvc serve did not come up"
            time.sleep(0.1)
        answers = [
            _request(f"{base}/feeds/person/IntB.ics?token={token}"),
            _request(f"{base}/feeds/person/IntB.ics?token={WRONG}"),
            _request(f"{base}/feeds/person/Niemand.ics?token={WRONG}"),
            _request(f"{base}/api/v1/series?token={WRONG}&password={PASSWORD}"),
            _request(f"{base}/api/v1/series/999?token={WRONG}", headers={"Authorization": f"Bearer {WRONG}"}),
            _request(f"{base}/gibt-es-nicht?token={WRONG}", headers={"Cookie": f"session={WRONG}"}),
            _request(f"{base}/api/v1/series", data=f"password={PASSWORD}&token={WRONG}".encode()),
            _request(f"{base}/api/v1/series", data=b"{}", headers={"Authorization": f"Bearer {WRONG}"}),
        ]
        answers += _login_and_write(base, api_token)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    statuses = [status for status, _ in answers]
    assert statuses == [200, 403, 404, 200, 404, 404, 401, 401, 401, 302, 201], statuses
    secrets = (WRONG, PASSWORD, token, api_token, EDITOR_PASSWORD)
    for status, body in answers[1:]:
        assert not [s for s in secrets if s in body], (status, body[:300])
    output = log.read_text()
    assert '"GET /feeds/person/IntB.ics" 200' in output, output  # the access log was captured
    assert '"POST /anmelden" 401' in output and '"POST /api/v1/series" 201' in output, output
    assert not [s for s in secrets if s in output], output


def _login_and_write(base: str, api_token: str) -> list[tuple[int, str]]:
    """A wrong and a right password through the login form (with cookies), and an API write."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    answers = []
    for password in (PASSWORD, EDITOR_PASSWORD):
        with opener.open(f"{base}/anmelden", timeout=30) as page:
            csrf = csrf_from(page.read().decode())
        form = urllib.parse.urlencode({"csrf_token": csrf, "name": "erika", "password": password}).encode()
        try:
            with opener.open(f"{base}/anmelden", data=form, timeout=30) as response:
                answers.append((response.status, response.read().decode()))
        except urllib.error.HTTPError as exc:
            answers.append((exc.code, exc.read().decode()))
    series = json.dumps({"title": "Geheimnisfrei", "dtstart": "2030-03-05T10:00", "duration_minutes": 60})
    headers = {"Authorization": f"Bearer {api_token}", "Content-Type": "application/json"}
    answers.append(_request(f"{base}/api/v1/series", data=series.encode(), headers=headers))
    return answers


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report a 302 as it is (the login's answer), do not follow it."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@pytest.fixture
def boom_app(app: Flask) -> Flask:
    """The app in production mode with a test-only route that fails unexpectedly."""
    app.testing = False

    def boom() -> Any:
        raise RuntimeError("Datenbankfehler in /srv/calsvc/geheim.py")

    app.add_url_rule("/test-boom", "test_boom", boom)
    app.add_url_rule("/api/v1/test-boom", "test_api_boom", boom)
    return app


@pytest.mark.parametrize("path", ["/test-boom", "/api/v1/test-boom"])
def test_a_500_shows_no_trace_and_no_secret(boom_app: Flask, path: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR):
        response = boom_app.test_client().get(
            f"{path}?token={WRONG}", headers={"Authorization": f"Bearer {WRONG}", "Cookie": f"session={WRONG}"}
        )
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    for leak in ("Traceback", "RuntimeError", WRONG, "geheim.py", 'File "', "site-packages"):
        assert leak not in body, leak
    assert "Ein interner Fehler ist aufgetreten" in body
    if path.startswith("/api/"):
        assert response.get_json() == {
            "error": {
                "code": "internal",
                "message": "Ein interner Fehler ist aufgetreten. Bitte später erneut versuchen.",
                "field": None,
            }
        }
    # The log names method and path (no query string) and keeps the trace for the operator.
    (record,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert record.getMessage() == f"Unerwarteter Fehler bei GET {path}"
    assert record.exc_info is not None
    assert WRONG not in caplog.text


def test_debug_mode_is_off_by_default(app: Flask) -> None:
    assert not app.debug
