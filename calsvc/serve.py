"""Run the app under gunicorn from Python, so ``calsvc serve`` needs no extra config file.

Each worker builds its own app after the fork. Building it in the CLI and handing it over
would serve every request inside the CLI's app context: Flask then reuses that one context,
so ``g`` (the database session, the logged-in user, the CSRF token) leaks from request to
request — logins did not stick and a worker kept reading one old database snapshot.

No log line carries a query string (person-feed links hold their secret in ``?token=``): the
access log writes the path alone (``%(U)s``), and gunicorn's error log — which on a worker
timeout or an escaped exception writes "Error handling request GET /path?query" — goes
through :class:`ScrubbingLogger`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import Flask
from gunicorn import glogging
from gunicorn.app.base import BaseApplication

__all__ = ["ScrubbingLogger", "run_gunicorn", "scrub"]

_QUERY = re.compile(r"\?[^\s'\"]*")


def scrub(text: str) -> str:
    """``text`` with every query string cut off (``/feeds/x.ics?token=…`` → ``/feeds/x.ics?…``)."""
    return _QUERY.sub("?…", text)


class ScrubbingLogger(glogging.Logger):
    """gunicorn's logger, but error-log messages lose their query strings before they are written."""

    def _clean(self, msg: Any, args: tuple[Any, ...]) -> str:
        text = str(msg) % args if args else str(msg)
        return scrub(text)

    def critical(self, msg: Any, *args: Any, **kwargs: Any) -> None:
        """Log at CRITICAL without query strings."""
        super().critical(self._clean(msg, args), **kwargs)

    def error(self, msg: Any, *args: Any, **kwargs: Any) -> None:
        """Log at ERROR without query strings."""
        super().error(self._clean(msg, args), **kwargs)

    def warning(self, msg: Any, *args: Any, **kwargs: Any) -> None:
        """Log at WARNING without query strings (gunicorn's "Invalid request" lines)."""
        super().warning(self._clean(msg, args), **kwargs)

    def info(self, msg: Any, *args: Any, **kwargs: Any) -> None:
        """Log at INFO without query strings."""
        super().info(self._clean(msg, args), **kwargs)

    def debug(self, msg: Any, *args: Any, **kwargs: Any) -> None:
        """Log at DEBUG without query strings."""
        super().debug(self._clean(msg, args), **kwargs)

    def exception(self, msg: Any, *args: Any, **kwargs: Any) -> None:
        """Log with the traceback but without query strings ("Error handling request GET /…?…")."""
        super().exception(self._clean(msg, args), **kwargs)

    def log(self, lvl: Any, msg: Any, *args: Any, **kwargs: Any) -> None:
        """Log at ``lvl`` without query strings."""
        super().log(lvl, self._clean(msg, args), **kwargs)


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


# gunicorn's settings, also read by ``gunicorn -c python:calsvc.serve wsgi:app`` (docs/deploy.md).
# Threads let a worker answer /healthz and feed polls while another thread renders a report. A
# threaded worker is not killed for one slow request (its main thread keeps reporting): what
# bounds a request is the work budget (calsvc/schedule/budget.py), not the timeout.
worker_class = "gthread"
threads = 4
timeout = 60
control_socket_disable = True  # gunicorn 27 would open ~/.gunicorn/gunicorn.ctl; calsvc needs none
accesslog = "-"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'  # %(U)s: the path without its query
logger_class = "calsvc.serve.ScrubbingLogger"


def gunicorn_options(
    *, host: str, port: int, workers: int, timeout: int = timeout, worker_class: str = worker_class
) -> dict[str, Any]:
    """The settings ``calsvc serve`` runs gunicorn with (the module's settings plus address and workers)."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": worker_class,
        "threads": threads if worker_class == "gthread" else 1,  # gunicorn turns sync + threads into gthread
        "timeout": timeout,
        "control_socket_disable": control_socket_disable,
        "accesslog": accesslog,
        "access_log_format": access_log_format,
        "logger_class": ScrubbingLogger,
    }


def run_gunicorn(factory: Callable[[], Flask], *, host: str, port: int, workers: int, **settings: Any) -> None:
    """Serve the app ``factory`` builds (once per worker) until interrupted; access log to stdout.

    ``settings`` (``timeout``, ``worker_class``) override the module's defaults.
    """
    _Gunicorn(factory, gunicorn_options(host=host, port=port, workers=workers, **settings)).run()
