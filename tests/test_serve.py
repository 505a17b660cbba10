"""``calsvc serve`` as an office runs it: real gunicorn, a real login, fresh data on every request.

Regression: the CLI used to hand gunicorn the app built inside its own app context, so all
requests of a worker shared one ``g`` — a login never stuck (the cached anonymous user
stayed) and the worker's database session kept reading one old snapshot.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from calsvc.db import session_scope
from calsvc.models import MeetingSeries

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@pytest.fixture
def served(demo_app: Flask, tmp_path: Path) -> Iterator[str]:
    """The demo database behind ``python -m calsvc serve`` with two workers; yields the base URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "DATABASE_URL": demo_app.config["DATABASE_URL"],
        "CALSVC_SECRET_KEY": "serve-test",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("CALSVC_SECURE_COOKIES", None)
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "calsvc", "serve", "--port", str(port), "--workers", "2"],
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
                urllib.request.urlopen(base + "/healthz", timeout=5).close()
                break
            except OSError:
                assert proc.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "calsvc serve did not come up"
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _open(opener: urllib.request.OpenerDirector, url: str, data: bytes | None = None) -> tuple[int, str]:
    try:
        with opener.open(url, data, timeout=30) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_a_login_sticks_across_requests_and_workers(served: str, run_cli: Any) -> None:
    assert run_cli("create-user", "anna", "--role", "editor", "--password-stdin", input="geheim-123\n").exit_code == 0
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect)
    _, page = _open(browser, served + "/anmelden")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token is not None
    form = urllib.parse.urlencode({"csrf_token": token.group(1), "name": "anna", "password": "geheim-123"})
    assert _open(browser, served + "/anmelden", form.encode())[0] == 302
    assert [_open(browser, served + "/bearbeiten/")[0] for _ in range(6)] == [200] * 6


def test_every_request_reads_the_current_data(served: str, demo_app: Flask) -> None:
    reader = urllib.request.build_opener()
    with demo_app.app_context(), session_scope(demo_app) as s:
        series_id = s.scalar(select(MeetingSeries.id).order_by(MeetingSeries.id))
    url = f"{served}/api/v1/series/{series_id}"
    for _ in range(4):  # warm both workers' sessions
        _open(reader, url)
    with demo_app.app_context(), session_scope(demo_app) as s:
        s.get(MeetingSeries, series_id).location = "Neuer Ort, Raum 0.01"  # type: ignore[union-attr]
    assert all("Neuer Ort, Raum 0.01" in _open(reader, url)[1] for _ in range(6))
