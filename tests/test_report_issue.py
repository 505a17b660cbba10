"""'Bericht abschließen' (issue 17): an issued report is returned byte-identical, later changes on request."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from flask import Flask
from sqlalchemy import select

from calsvc.admin.backup import dump, restore
from calsvc.db import session_scope
from calsvc.editing.activities import update_activity
from calsvc.models import Activity, IssuedReport
from calsvc.report.issue import report_hash

from .editing_support import csrf_from, login, make_user

PAGE = "/bericht/2024/Q2"


def _issue(client: Any) -> Any:
    page = client.get(PAGE)
    assert "Bericht abschließen" in page.get_data(as_text=True)
    return client.post(f"{PAGE}/abschliessen", data={"csrf_token": csrf_from(page)})


def _downloads(client: Any) -> dict[str, bytes]:
    got = {fmt: client.get(f"{PAGE}.{fmt}") for fmt in ("pdf", "docx", "csv")}
    got["html"] = client.get(PAGE)
    assert all(r.status_code == 200 for r in got.values())
    return {fmt: r.get_data() for fmt, r in got.items()}


def test_an_issued_report_is_returned_byte_identical_after_later_edits(demo_app: Flask, run_cli: Any) -> None:
    client = demo_app.test_client()
    make_user(run_cli)
    login(client)
    answer = _issue(client)
    assert answer.status_code == 302
    first = _downloads(client)
    with demo_app.app_context(), session_scope(demo_app) as session:
        issued = session.scalars(select(IssuedReport)).one()
        stored = {f.format: (f.filename, f.content) for f in issued.files}
        assert {fmt: content for fmt, (_name, content) in stored.items()} == first
        assert issued.sha256 == report_hash(stored) and issued.issued_by == "erika"
        assert all(f.sha256 == hashlib.sha256(f.content).hexdigest() for f in issued.files)
        activity = session.scalar(select(Activity).where(Activity.plan_year == 2024, Activity.number == 14))
        assert activity is not None
        update_activity(session, "erika", activity, {"terminierung": "Oktober 2024"}, activity.version)
    assert _downloads(client) == first
    assert _downloads(demo_app.test_client()) == first  # anonymous readers get the same bytes
    assert "Bericht abschließen" not in first["html"].decode() and "csrf_token" not in first["html"].decode()
    later = client.get(f"{PAGE}/aenderungen").get_data(as_text=True)
    assert "Aktivität 14 „Ausrichtung der „Interkulturellen Tage 2024““: Terminierung jetzt „Oktober 2024“" in later
    assert "Prüfsumme" in later and "terminierung" not in later
    current = client.get(f"{PAGE}?fassung=aktuell")
    assert current.status_code == 200 and current.get_data() != first["html"]
    page = client.get(f"{PAGE}?fassung=aktuell")
    again = client.post(f"{PAGE}/abschliessen", data={"csrf_token": csrf_from(page)})
    assert again.status_code == 409 and "bereits abgeschlossen" in again.get_data(as_text=True)


def test_issuing_needs_an_editor_and_a_csrf_token(demo_app: Flask, run_cli: Any) -> None:
    client = demo_app.test_client()
    assert client.post(f"{PAGE}/abschliessen").status_code in (302, 400)
    make_user(run_cli, "vera", "viewer")
    login(client, "vera")
    page = client.get(PAGE)
    assert "Bericht abschließen" not in page.get_data(as_text=True)
    assert client.post(f"{PAGE}/abschliessen", data={"csrf_token": csrf_from(page)}).status_code == 403
    make_user(run_cli)
    login(client)
    assert client.post(f"{PAGE}/abschliessen", data={}).status_code == 400  # no token
    with demo_app.app_context(), session_scope(demo_app) as session:
        assert session.scalars(select(IssuedReport)).first() is None


def test_backup_carries_issued_reports_byte_for_byte(demo_app: Flask, second_app: Flask, run_cli: Any) -> None:
    client = demo_app.test_client()
    make_user(run_cli)
    login(client)
    _issue(client)
    first = _downloads(client)
    with demo_app.app_context(), session_scope(demo_app) as session:
        data = json.loads(json.dumps(dump(session)))
    with second_app.app_context(), session_scope(second_app) as session:
        restore(session, data)
    assert _downloads(second_app.test_client()) == first
