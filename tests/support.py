"""Test helpers that are not fixtures: per-test databases on SQLite or a PostgreSQL server."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

__all__ = ["database_url_for_test", "drop_test_database"]


def database_url_for_test(tmp_path: Path) -> str:
    """A fresh database: a SQLite file in ``tmp_path``, or a new database on the test server."""
    server = os.environ.get("CALSVC_TEST_DATABASE_URL")
    if not server:
        return f"sqlite:///{tmp_path / 'calsvc-test.sqlite3'}"
    name = f"calsvc_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def drop_test_database(url: str) -> None:
    """Drop a database made by :func:`database_url_for_test` (SQLite files go with tmp_path)."""
    server = os.environ.get("CALSVC_TEST_DATABASE_URL")
    if not server or url.startswith("sqlite"):
        return
    name = make_url(url).database
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
