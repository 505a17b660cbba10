"""The audit trail: entries in the same transaction, old → new values, JSON view."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from calsvc.db import session_scope
from calsvc.editing import audit
from calsvc.editing.persons import create_person
from calsvc.errors import ValidationError
from calsvc.models import AuditEntry

from .editing_support import make_token, make_user


def test_diff_and_snapshot_are_json_safe() -> None:
    before = {"day": date(2024, 1, 1).isoformat(), "n": 1}
    assert audit.diff(before, {"day": "2024-01-02", "n": 1}) == {"day": ["2024-01-01", "2024-01-02"]}

    class Thing:
        start = datetime(2024, 5, 1, 10)
        name = "x"

    assert audit.snapshot(Thing(), ("start", "name")) == {"start": "2024-05-01T10:00:00", "name": "x"}


def test_entries_commit_and_roll_back_with_the_change(app: Flask) -> None:
    with app.app_context(), session_scope(app) as s:
        person = create_person(s, "erika", {"code": "Int1", "title": "Integrationsbeauftragte"})
        entry = audit.entry_json(audit.history(s, "person", person.id)[0])
    assert entry["actor"] == "erika" and entry["action"] == "create" and entry["at"].endswith("Z")
    assert entry["changes"]["title"] == [None, "Integrationsbeauftragte"]
    with app.app_context(), pytest.raises(ValidationError), session_scope(app) as s:
        create_person(s, "erika", {"code": "Int2"})
        create_person(s, "erika", {"code": "Int2"})  # duplicate: the whole unit of work rolls back
    with app.app_context(), session_scope(app) as s:
        rows = s.scalars(select(AuditEntry)).all()
        assert len(rows) == 1 and json.loads(rows[0].changes)["code"] == [None, "Int1"]


def test_audit_api_validates_its_parameters(client: object, run_cli: Any) -> None:
    make_user(run_cli, "vera", role="viewer")  # the audit trail is for known users only (test_guards.py)
    auth = {"Authorization": f"Bearer {make_token(run_cli, 'vera')}"}
    answer = client.get("/api/v1/audit?object_type=katze&object_id=1", headers=auth)  # type: ignore[attr-defined]
    assert answer.status_code == 422 and answer.json["error"]["field"] == "object_type"
    answer = client.get("/api/v1/audit?object_type=series&object_id=x", headers=auth)  # type: ignore[attr-defined]
    assert answer.status_code == 422 and answer.json["error"]["field"] == "object_id"
    empty = client.get("/api/v1/audit?object_type=series&object_id=9", headers=auth)  # type: ignore[attr-defined]
    assert empty.status_code == 200 and empty.json["entries"] == []
