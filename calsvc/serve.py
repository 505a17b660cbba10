"""Run the app under gunicorn from Python, so ``calsvc serve`` needs no extra config file.

Each worker builds its own app after the fork. Building it in the CLI and handing it over
would serve every request inside the CLI's app context: Flask then reuses that one context,
so ``g`` (the database session, the logged-in user, the CSRF token) leaks from request to
request — logins did not stick and a worker kept reading one old database snapshot.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

__all__ = ["run_gunicorn"]


class _Gunicorn(BaseApplication):
    def __init__(self, factory: Callable[[], Flask], options: dict[str, Any]) -> None:
        self.factory = factory
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.factory()


def run_gunicorn(factory: Callable[[], Flask], *, host: str, port: int, workers: int) -> None:
    """Serve the app ``factory`` builds (once per worker) until interrupted; access log to stdout."""
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "timeout": 60,
        "accesslog": "-",
        # %(U)s is the path without the query string: secret feed tokens never reach the log.
        "access_log_format": '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms',
    }
    _Gunicorn(factory, options).run()
