"""Rate limits shared by every gunicorn worker and server: fixed windows counted in the database.

Each key (``login:<address>:<name>``, ``expensive:<address>``) has one row in ``rate_limit``
holding its current window; one atomic ``INSERT … ON CONFLICT DO UPDATE`` counts a hit and
starts a new window when the old one has expired, so concurrent workers never lose a count.
Whenever a key starts a new window, expired rows are deleted, so the table only holds keys
that were active within the longest window; nothing is kept in process memory.

Login: ``CALSVC_LOGIN_ATTEMPTS`` attempts (default 5) per ``CALSVC_LOGIN_WINDOW_SECONDS``
(default 900) per client address and user name; the next gets 429 with ``Retry-After``.
Behind a reverse proxy, set ``CALSVC_TRUSTED_PROXIES`` so the client's address is used.

Wiring into a login view (one call before checking the password, one after success)::

    limit_login(username)            # raises 429 when over the limit, else counts this attempt
    ...check the password...
    login_succeeded(username)        # forget the attempts of this (address, user)
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

from flask import current_app, request
from sqlalchemy import Engine, Table, case, delete
from sqlalchemy.dialects import postgresql, sqlite
from werkzeug.exceptions import TooManyRequests

from calsvc.models import RateLimit

__all__ = ["WindowCounter", "counter", "limit_login", "login_succeeded", "too_many"]

MAX_KEY = 300


class WindowCounter:
    """At most ``limit`` hits per key in each fixed window of ``window`` seconds, counted in the database."""

    def __init__(self, engine: Engine, *, clock: Callable[[], float] = time.time) -> None:
        if engine.dialect.name not in ("sqlite", "postgresql"):
            raise ValueError(f"rate limits need SQLite or PostgreSQL, not {engine.dialect.name}")
        self.engine = engine
        self._clock = clock

    def hit(self, key: str, limit: int, window: int) -> int | None:
        """Count a hit; None when allowed, else the seconds until the key's window ends."""
        if limit < 1 or window < 1:
            raise ValueError("limit and window must be >= 1")
        now = int(self._clock())
        table = _table()
        insert: Any = (postgresql if self.engine.dialect.name == "postgresql" else sqlite).insert
        new = insert(table).values(key=key[:MAX_KEY], window_start=now, expires_at=now + window, hits=1)
        expired = table.c.expires_at <= now
        upsert = new.on_conflict_do_update(
            index_elements=[table.c.key],
            set_={
                "hits": case((expired, 1), else_=table.c.hits + 1),
                "window_start": case((expired, now), else_=table.c.window_start),
                "expires_at": case((expired, now + window), else_=table.c.expires_at),
            },
        ).returning(table.c.hits, table.c.expires_at)
        with self.engine.begin() as conn:
            hits, expires_at = conn.execute(upsert).one()
            if hits == 1:  # a new window: a good moment to drop everybody's expired ones
                conn.execute(delete(table).where(table.c.expires_at <= now))
        return None if hits <= limit else max(1, expires_at - now)

    def reset(self, key: str) -> None:
        """Forget a key's hits (after a successful login)."""
        table = _table()
        with self.engine.begin() as conn:
            conn.execute(delete(table).where(table.c.key == key[:MAX_KEY]))


def _table() -> Table:
    table = RateLimit.__table__
    assert isinstance(table, Table)
    return table


def counter() -> WindowCounter:
    """The app's counter on its database (tests may put one with their own clock in ``extensions``)."""
    found: WindowCounter | None = current_app.extensions.get("calsvc.rate_counter")
    if found is None:
        found = WindowCounter(current_app.extensions["calsvc.engine"])
        current_app.extensions["calsvc.rate_counter"] = found
    return found


def client_address() -> str:
    """The client's address (ProxyFix has put the proxy's X-Forwarded-For here when configured)."""
    return request.remote_addr or "-"


def _login_key(username: str) -> str:
    return f"login:{client_address()}:{username.strip().casefold()[:200]}"


def too_many(message: str, wait: int) -> TooManyRequests:
    """A 429 with ``Retry-After``; the error handler answers it as JSON or a German page."""
    return TooManyRequests(message, retry_after=wait)


def limit_login(username: str) -> None:
    """Count this login attempt; 429 (German, with Retry-After) when there were too many."""
    config = current_app.config
    attempts = int(config.get("CALSVC_LOGIN_ATTEMPTS", 5))
    window = int(config.get("CALSVC_LOGIN_WINDOW_SECONDS", 900))
    wait = counter().hit(_login_key(username), attempts, window)
    if wait is not None:
        minutes = max(1, math.ceil(wait / 60))
        raise too_many(
            f"Zu viele Anmeldeversuche. Bitte in {minutes} {'Minute' if minutes == 1 else 'Minuten'} erneut versuchen.",
            wait,
        )


def login_succeeded(username: str) -> None:
    """A correct password: start counting from zero again."""
    counter().reset(_login_key(username))
