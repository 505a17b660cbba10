"""Backups are private (mode 0600) and restore whatever the order of self-referencing rows."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import select

from calsvc.admin.backup import dump, restore
from calsvc.db import session_scope
from calsvc.models import Gremium, RateLimit, User

from .editing_support import make_user


def test_the_backup_file_is_readable_by_its_owner_only(app: Flask, run_cli: Any, tmp_path: Path) -> None:
    make_user(run_cli, "erika")
    target = tmp_path / "sicherung.json"
    old_umask = os.umask(0o022)
    try:
        assert run_cli("backup", str(target)).exit_code == 0
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        target.chmod(0o644)  # an existing, readable file is made private too
        assert run_cli("backup", str(target)).exit_code == 0
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    finally:
        os.umask(old_umask)
    assert json.loads(target.read_text(encoding="utf-8"))["tables"]["app_user"][0]["name"] == "erika"


def test_an_older_gremium_under_a_newer_one_restores(app: Flask, second_app: Flask) -> None:
    with app.app_context(), session_scope(app) as s:
        s.add_all([Gremium(slug="ag-alt", name="AG (älter)"), Gremium(slug="ag-mitte", name="AG Mitte")])
    with app.app_context(), session_scope(app) as s:
        old, middle = s.scalars(select(Gremium).order_by(Gremium.id)).all()
        beirat = Gremium(slug="beirat-neu", name="Beirat (neuer)")
        s.add(beirat)
        s.flush()
        old.parent_id = beirat.id  # the older Gremium (lower id) now sits under the newer one
        middle.parent_id = old.id
    with app.app_context(), session_scope(app) as s:
        data = dump(s)
    with second_app.app_context(), session_scope(second_app) as s:
        restore(s, data)
    with second_app.app_context(), session_scope(second_app) as s:
        parents = {g.slug: g.parent.slug if g.parent else None for g in s.scalars(select(Gremium))}
    assert parents == {"ag-alt": "beirat-neu", "ag-mitte": "ag-alt", "beirat-neu": None}


def test_a_backup_from_before_session_epochs_restores(app: Flask, second_app: Flask, run_cli: Any) -> None:
    make_user(run_cli, "erika")
    with app.app_context(), session_scope(app) as s:
        data = dump(s)
    assert RateLimit.__tablename__ not in data["tables"]  # counters are no data
    for row in data["tables"]["app_user"]:
        del row["session_epoch"]
    with second_app.app_context(), session_scope(second_app) as s:
        restore(s, data)
    with second_app.app_context(), session_scope(second_app) as s:
        assert s.scalar(select(User.session_epoch)) == 0
