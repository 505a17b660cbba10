"""Configuration defaults; environment variables ``CALSVC_*`` and ``DATABASE_URL`` override them."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app

if TYPE_CHECKING:
    from calsvc.conflicts.service import ConflictSettings

__all__ = ["conflict_settings", "default_config", "install_settings", "instance_secret"]


def default_config(instance_path: str) -> dict[str, Any]:
    """Settings for a fresh app: SQLite in the instance folder unless DATABASE_URL says otherwise."""
    sqlite_file = Path(instance_path) / "calsvc.sqlite3"
    return {
        "DATABASE_URL": _database_url(os.environ.get("DATABASE_URL") or f"sqlite:///{sqlite_file}"),
        "SECRET_KEY": os.environ.get("CALSVC_SECRET_KEY"),
        "CALSVC_UID_HOST": "calsvc.marzahn-hellersdorf.invalid",
        "CALSVC_PLAN_YEAR": 2024,
        "CALSVC_PUBLIC_BASE_URL": None,
        "CALSVC_FEED_REFRESH_MINUTES": 60,
        "CALSVC_FEED_RETENTION_DAYS": 183,
        "CALSVC_WORK_HOURS": "08:00-18:00",
        "CALSVC_WORK_DAYS": "1,2,3,4,5",
        "CALSVC_CONFLICT_BUFFER_MINUTES": 0,
        "CALSVC_PUBLIC_GREMIUM_FEEDS": True,
        "CALSVC_FEED_FAST_PATH": True,  # answer polls of unchanged feeds below Flask (web/feed_fastpath.py)
        "CALSVC_HSTS": False,
        "CALSVC_LOGIN_ATTEMPTS": 5,
        "CALSVC_LOGIN_WINDOW_SECONDS": 900,
        "CALSVC_REQUEST_OCCURRENCES": 250_000,  # work budget of one request (calsvc/schedule/budget.py)
        "CALSVC_ANONYMOUS_OCCURRENCES": 50_000,  # the same without a login or API token
        "CALSVC_SESSION_HOURS": 10,  # absolute: a login ends this long after it began, active or not
        "CALSVC_EXPENSIVE_REQUESTS": 30,  # per client address and window, for anonymous heavy endpoints
        "CALSVC_EXPENSIVE_WINDOW_SECONDS": 60,
        "CALSVC_MAX_BODY_BYTES": 1024 * 1024,
        "CALSVC_BUSY_MAX_BYTES": 5 * 1024 * 1024,  # outside calendars (calsvc/busy): size, time, window
        "CALSVC_BUSY_TIMEOUT_SECONDS": 15,
        "CALSVC_BUSY_PAST_DAYS": 30,
        "CALSVC_BUSY_FUTURE_DAYS": 400,
        "CALSVC_TRUSTED_PROXIES": 0,  # reverse proxies in front (nginx: 1); their X-Forwarded-* are believed
        # Invitations (calsvc/invitations/settings.py): the ORGANIZER mailbox; without SMTP they stay in the outbox
        "CALSVC_ORGANIZER_EMAIL": "integrationsbuero@marzahn-hellersdorf.invalid",
        "CALSVC_ORGANIZER_NAME": "Integrationsbüro Marzahn-Hellersdorf",
        "CALSVC_SMTP_URL": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "JSON_SORT_KEYS": False,
    }


def _database_url(url: str) -> str:
    """Accept ``postgres://``/``postgresql://`` URLs and use the psycopg 3 driver for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def instance_secret(instance: Path) -> str:
    """A random secret kept in the instance folder, so sessions survive restarts."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


def install_settings(app: Flask) -> None:
    """Read the settings that services take as arguments once, when the app is built."""
    from calsvc.conflicts.service import ConflictSettings

    app.extensions["calsvc.conflict_settings"] = ConflictSettings.from_config(app.config)


def conflict_settings() -> ConflictSettings:
    """The current app's conflict rules (buffer, working hours), for views and commands to pass on."""
    settings: ConflictSettings = current_app.extensions["calsvc.conflict_settings"]
    return settings
