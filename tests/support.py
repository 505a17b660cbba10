"""Test helpers that are not fixtures: per-test databases on SQLite or a PostgreSQL server."""

from __future__ import annotations

import os
import shutil
import uuid
from functools import cache
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from calsvc.migrate import upgrade

__all__ = ["database_url_for_test", "drop_test_database", "migrated_database_for_test"]


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


def migrated_database_for_test(tmp_path: Path) -> str:
    """A fresh database with the schema at head: a copy of one migrated template per test run.

    Running the Alembic chain for every test cost more than most tests (0.2 s on SQLite, more
    on PostgreSQL); a copy is a file copy on SQLite and ``CREATE DATABASE … TEMPLATE`` on
    PostgreSQL. :mod:`tests.test_migrate` still runs the migrations themselves.
    """
    template = _migrated_template(os.environ.get("CALSVC_TEST_DATABASE_URL") or "")
    if template.startswith("sqlite"):
        target = tmp_path / "calsvc-test.sqlite3"
        shutil.copyfile(make_url(template).database or "", target)
        return f"sqlite:///{target}"
    server = os.environ["CALSVC_TEST_DATABASE_URL"]
    name = f"calsvc_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{make_url(template).database}"'))
    admin.dispose()
    return make_url(server).set(database=name).render_as_string(hide_password=False)


@cache
def _migrated_template(server: str) -> str:
    """Once per process (and server): a database migrated to head, left without connections."""
    folder = Path(os.environ.get("TMPDIR") or ".") / f"template-{os.getpid()}"
    folder.mkdir(parents=True, exist_ok=True)
    url = database_url_for_test(folder)
    engine = create_engine(url)
    upgrade(engine)
    engine.dispose()  # a PostgreSQL template must have no open connections
    return url
