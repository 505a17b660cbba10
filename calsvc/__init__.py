"""calsvc: the Integration Office's calendar — feeds, conflict checks and agenda pages."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from calsvc import db
from calsvc.config import default_config, install_settings, instance_secret

__all__ = ["create_app"]


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Flask app; ``config`` overrides the defaults (tests pass DATABASE_URL here)."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=_project_dir("templates"),
        static_folder="static",
    )
    app.config.update(default_config(app.instance_path))
    app.config.update(
        {key: _loads(value) for key, value in os.environ.items() if key.startswith("CALSVC_") and key in app.config}
    )
    if config:
        app.config.update(config)
    if not app.config.get("SECRET_KEY"):  # only now: a test's or deployment's key leaves instance/ alone
        app.config["SECRET_KEY"] = instance_secret(Path(app.instance_path))

    install_settings(app)
    db.init_app(app)
    from calsvc.web import register_blueprints
    from calsvc.web.converters import DatabaseInt

    app.url_map.converters["int"] = DatabaseInt  # before any route is added

    register_blueprints(app)
    if proxies := int(app.config["CALSVC_TRUSTED_PROXIES"]):  # outermost, so the feed fast path sees it too
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]  # Flask's documented way to add middleware
    return app


def _loads(value: str) -> Any:
    """Read env values as JSON where they are JSON (numbers, booleans), else as text."""
    try:
        return json.loads(value)
    except ValueError:
        return value


def _project_dir(name: str) -> str:
    """Templates live beside the package (design card layout) or inside it in a wheel."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / name, here / name):
        if candidate.is_dir():
            return str(candidate)
    return str(here.parent / name)
