"""Run the app under gunicorn from Python, so ``calsvc serve`` needs no extra config file."""

from __future__ import annotations

from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

__all__ = ["run_gunicorn"]


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, app: Flask, options: dict[str, Any]) -> None:
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.application


def run_gunicorn(app: Flask, *, host: str, port: int, workers: int) -> None:
    """Serve ``app`` until interrupted; access log to stdout."""
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "timeout": 60,
        "accesslog": "-",
        # %(U)s is the path without the query string: secret feed tokens never reach the log.
        "access_log_format": '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms',
        "post_fork": lambda _server, _worker: app.extensions["calsvc.engine"].dispose(close=False),
    }
    _Gunicorn(app, options).run()
