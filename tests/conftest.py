"""Shared fixtures: an app on a fresh, migrated database; its client; the CLI runner.

``CALSVC_TEST_DATABASE_URL`` points the whole suite at another server (PostgreSQL); each
test then gets a schema of its own there. ``CALSVC_STRICT_TESTS=1`` (set by CI) turns
"tool missing" skips into failures.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from flask.cli import ScriptInfo
from sqlalchemy.orm import Session

from calsvc import create_app
from calsvc.cli import cli
from calsvc.db import session_scope

from .pgserver import TempPostgres, find_pg_bin
from .support import drop_test_database, migrated_database_for_test

_PG_SERVER = pytest.StashKey["TempPostgres"]()
STRICT = os.environ.get("CALSVC_STRICT_TESTS") == "1"
CHECKOUT = Path(__file__).resolve().parents[1]
PLAN_FILE = CHECKOUT / "calsvc" / "data" / "arbeitsplan-integrationsbuero-2024.txt"
TEST_TMP = CHECKOUT / ".test-tmp"


def pytest_configure(config: pytest.Config) -> None:
    """Keep every file the tests write inside the checkout; start PostgreSQL when asked.

    Temporary files (pytest's ``tmp_path``, ``tempfile``, subprocesses via TMPDIR) go to the
    git-ignored ``.test-tmp/``. With CALSVC_TEST_POSTGRES=1 the suite starts its own PostgreSQL
    and runs every test on it.
    """
    TEST_TMP.mkdir(exist_ok=True)
    tempfile.tempdir = str(TEST_TMP)
    os.environ["TMPDIR"] = str(TEST_TMP)
    if config.option.basetemp is None:
        config.option.basetemp = str(TEST_TMP / "pytest")
    if os.environ.get("CALSVC_TEST_POSTGRES") != "1" or os.environ.get("CALSVC_TEST_DATABASE_URL"):
        return
    bin_dir = find_pg_bin()
    if bin_dir is None:
        raise pytest.UsageError("CALSVC_TEST_POSTGRES=1 but PostgreSQL (initdb) is not installed")
    server = TempPostgres(bin_dir)
    os.environ["CALSVC_TEST_DATABASE_URL"] = server.start()
    config.stash[_PG_SERVER] = server


def pytest_unconfigure(config: pytest.Config) -> None:
    server = config.stash.get(_PG_SERVER, None)
    if server is not None:
        server.stop()
        os.environ.pop("CALSVC_TEST_DATABASE_URL", None)


def pytest_report_header(config: pytest.Config) -> str:
    return f"calsvc database: {os.environ.get('CALSVC_TEST_DATABASE_URL') or 'SQLite (per test)'}"


def need(condition: bool, reason: str) -> None:
    """Skip when a tool is missing — but fail under CALSVC_STRICT_TESTS=1 (CI must not skip)."""
    if condition:
        return
    if STRICT:
        pytest.fail(f"required in strict mode: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fresh_feed_caches() -> None:
    """Each test's database restarts its data versions: per-process feed caches and the list of
    items left out of feeds must not carry over."""
    from calsvc.publishing.components import COMPONENTS
    from calsvc.publishing.problems import left_out
    from calsvc.publishing.service import CACHE, KEYS

    CACHE.clear()
    KEYS.clear()
    left_out.clear()  # items left out of a feed belong to that test's database
    COMPONENTS.clear()  # entries answer only for equal snapshots; cleared so tests can count renders


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    """A calsvc app on its own migrated database."""
    url = migrated_database_for_test(tmp_path)
    application = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "SECRET_KEY": "test-secret",
            "WTF_CSRF_ENABLED": True,
            "CALSVC_UID_HOST": "test.calsvc",
        }
    )
    yield application
    application.extensions["calsvc.engine"].dispose()
    drop_test_database(url)


@pytest.fixture
def second_app(tmp_path: Path) -> Iterator[Flask]:
    """Another calsvc app on a database of its own (restore targets, two-server tests)."""
    other = tmp_path / "other"
    other.mkdir()
    url = migrated_database_for_test(other)
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "x", "CALSVC_UID_HOST": "test.calsvc"})
    yield app
    app.extensions["calsvc.engine"].dispose()
    drop_test_database(url)


@pytest.fixture
def client(app: Flask) -> Any:
    """Flask test client."""
    return app.test_client()


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    """A session that commits at the end of the test's setup block (use ``with``-free)."""
    with app.app_context(), session_scope(app) as s:
        yield s


@pytest.fixture
def run_cli(app: Flask) -> Callable[..., Result]:
    """Invoke ``calsvc …`` against the test app: ``run_cli("init-db")``."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(cli, list(args), obj=ScriptInfo(create_app=lambda: app), input=input)

    return invoke


@pytest.fixture
def demo_app(app: Flask) -> Flask:
    """The app with the demo (2024 plan + example meetings) loaded."""
    from calsvc.plan.demo import load_demo

    with app.app_context(), session_scope(app) as s:
        load_demo(s)
    return app
