"""A plan import killed with SIGKILL in the middle of writing leaves the database exactly as before.

The import runs as a real ``python -m calsvc import-plan`` process on the test database (SQLite
file or PostgreSQL). A generated plan with thousands of Gremien makes the write phase take
seconds; the test waits until the process has printed its check and is inside its write
transaction (seen from a second connection: SQLite's write lock is taken, or PostgreSQL shows
the backend with a transaction id), lets it write a while longer, then kills it.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from calsvc.admin.backup import dump
from calsvc.db import session_scope
from calsvc.models import Gremium, PlanImport

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
PACKAGED_PLAN = ROOT / "calsvc/data/arbeitsplan-integrationsbuero-2024.txt"
EXTRA_GREMIEN = 3000
EXTRA_ACTIVITIES = range(26, 1000)  # the plan's numbers have at most three digits
MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli")


def huge_plan() -> str:
    """The 2024 plan with thousands more Gremien and activities, in the plan's own format."""
    lines = PACKAGED_PLAN.read_text(encoding="utf-8").rstrip("\n").split("\n")
    header = next(i for i, line in enumerate(lines) if line.startswith("Gremium\t"))
    lines[header + 1 : header + 1] = [f"Arbeitsgruppe Nummer {k}\tIntB (L), Int1" for k in range(EXTRA_GREMIEN)]
    lines += [f"{k}\tAktivität Nummer {k}\tIntB, Int 1\t{MONTHS[k % 7]} 2024" for k in EXTRA_ACTIVITIES]
    return "\n".join(lines) + "\n"


def snapshot(app: Flask) -> dict[str, Any]:
    """Every row of every table (the backup format without its timestamp)."""
    with app.app_context(), session_scope(app) as session:
        return dump(session)["tables"]


def start_import(url: str, plan: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "calsvc", "import-plan", str(plan)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def writer_active(url: str) -> bool:
    """Whether another connection holds an open write transaction on the database."""
    if url.startswith("sqlite"):
        conn = sqlite3.connect(make_url(url).database, timeout=0, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            assert "locked" in str(exc), exc
            return True
        finally:
            conn.close()  # closing rolls back our own (empty) transaction at once
        return False
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            query = text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"
            )
            return bool(conn.scalar(query))
    finally:
        engine.dispose()


def wait_until_writing(proc: subprocess.Popen[str], url: str, timeout: float = 60) -> list[str]:
    """Read the check's output up to 'Nicht gelesen: 0 Zeilen', then poll until the writes began."""
    assert proc.stdout is not None
    output: list[str] = []
    for line in proc.stdout:
        output.append(line)
        if line.startswith("Nicht gelesen"):
            break
    assert output and output[-1].startswith("Nicht gelesen: 0"), "".join(output)
    deadline = time.monotonic() + timeout
    while not writer_active(url):
        assert proc.poll() is None, "import finished before it was seen writing:\n" + "".join(output)
        assert time.monotonic() < deadline, "import never started writing"
        time.sleep(0.02)
    return output


def test_import_killed_while_writing_leaves_the_database_unchanged(demo_app: Flask, tmp_path: Path) -> None:
    url = demo_app.config["DATABASE_URL"]
    plan = tmp_path / "riesenplan.txt"
    plan.write_text(huge_plan(), encoding="utf-8")
    before = snapshot(demo_app)
    assert len(before["gremium"]) == 30

    proc = start_import(url, plan)
    try:
        wait_until_writing(proc, url)
        time.sleep(0.4)  # let it write a good share of its rows
        assert proc.poll() is None, "import finished before the kill"
        assert writer_active(url), "the import's write transaction ended before the kill"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stdout:
            rest = proc.stdout.read()
            proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    assert "Arbeitsplan 2024 aus" not in rest, "the import reported success before it was killed"

    deadline = time.monotonic() + 30
    while writer_active(url):  # PostgreSQL ends the dead client's transaction when it sees the socket close
        assert time.monotonic() < deadline, "the killed import's transaction never ended"
        time.sleep(0.05)
    assert snapshot(demo_app) == before

    # The database is fully usable: the same import, left alone, now lands completely.
    proc = start_import(url, plan)
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0, out
    assert f"Gremien: {EXTRA_GREMIEN} neu" in out
    with demo_app.app_context(), session_scope(demo_app) as session:
        assert session.scalar(select(func.count()).select_from(Gremium)) == 30 + EXTRA_GREMIEN
        assert session.scalar(select(func.count()).select_from(PlanImport)) == len(before["plan_import"]) + 1
