"""Conflicts worth reading: one entry per clash, one hint per vacant post, acknowledgements that expire."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from calsvc.conflicts.entries import conflict_digest, vacancy_hints
from calsvc.db import session_scope
from calsvc.editing.conflict_check import Unconfirmed
from calsvc.editing.series import create_series, update_series
from calsvc.models import AuditEntry, Gremium, MeetingSeries, Membership, Person

from .editing_support import csrf_from, login, make_token, make_user

QUARTER = {"von": "2024-04-01", "bis": "2024-06-30"}
FACHRUNDE = "Fachrunde Migrationssozialdienst"


def test_the_demo_quarter_reads_as_a_short_list(demo_app: Flask) -> None:
    with demo_app.app_context(), session_scope(demo_app) as s:
        digest = conflict_digest(s, date(2024, 4, 1), date(2024, 7, 1))
    assert len(digest.conflicts) > 20  # what the sweep finds …
    assert len(digest.entries) == 4  # … is four things to read: two holidays, two clashes
    (hint,) = digest.hints
    assert hint.person == "Int2" and hint.message.startswith("Int2 ist unbesetzt und Mitglied in 12 Gremien")
    clash = next(e for e in digest.entries if e.day == date(2024, 5, 28))
    assert set(clash.kinds) == {"lead_missing", "overlap"} and clash.persons == ("IntB",)
    assert {o.title for o in clash.occurrences} == {"Dienstberatung Integration", FACHRUNDE}
    assert all("unbesetzt" not in c.message for e in digest.entries for c in e.conflicts)


def test_a_vacant_lead_is_a_critical_hint_without_any_meeting(app: Flask) -> None:
    with app.app_context(), session_scope(app) as s:
        int2 = Person(code="Int2", title="Koordination", vacant=True)
        jf = Gremium(slug="jf-laf", name="Jour fixe LAF")
        jf.memberships.append(Membership(person=int2, role="lead"))
        s.add_all([int2, jf])
    with app.app_context(), session_scope(app) as s:
        (hint,) = vacancy_hints(s, date(2024, 1, 1), date(2025, 1, 1))
    assert hint.severity == "critical"
    assert (
        hint.message
        == "Int2 ist unbesetzt und Mitglied in 1 Gremium; leitet „Jour fixe LAF“ – diese Sitzungen haben keine Leitung."
    )


def test_hints_of_several_vacant_posts_follow_the_person_gremium_and_period(app: Flask) -> None:
    with app.app_context(), session_scope(app) as s:
        int2 = Person(code="Int2", title="Koordination", vacant=True, vacant_from=date(2024, 3, 1))
        ba = Person(code="BA", title="Büroassistenz", vacant=True, vacant_until=date(2024, 1, 31))
        alone = Person(code="Int3", title="ohne Gremium", vacant=True)
        jf, ag = Gremium(slug="jf-laf", name="Jour fixe LAF", position=2), Gremium(slug="ag", name="AG", position=1)
        jf.memberships += [Membership(person=int2, role="lead"), Membership(person=ba, role="member")]
        ag.memberships.append(Membership(person=int2, role="member"))
        s.add_all([int2, ba, alone, jf, ag])
    with app.app_context(), session_scope(app) as s:
        year = vacancy_hints(s, date(2024, 1, 1), date(2025, 1, 1))
        assert [(h.person, h.member_of, h.leads) for h in year] == [
            ("BA", ("Jour fixe LAF",), ()),
            ("Int2", ("AG", "Jour fixe LAF"), ("Jour fixe LAF",)),
        ]
        assert len({h.key for h in year}) == 2
        assert [h.person for h in vacancy_hints(s, date(2024, 6, 1), date(2024, 7, 1))] == ["Int2"]
        assert [h.person for h in vacancy_hints(s, date(2024, 1, 1), date(2025, 1, 1), gremium="ag")] == ["Int2"]
        assert [h.person for h in vacancy_hints(s, date(2024, 1, 1), date(2025, 1, 1), person="ba")] == ["BA"]
        s.get(Person, ba.id).title = "Assistenz"  # type: ignore[union-attr]
    with app.app_context(), session_scope(app) as s:  # a changed post is a new hint (its acknowledgement expires)
        again = vacancy_hints(s, date(2024, 1, 1), date(2025, 1, 1))
    assert again[0].key != year[0].key and again[1].key == year[1].key


def _entry_keys(html: str) -> list[str]:
    return re.findall(r'name="key" value="([0-9a-f]{64})"', html)


def test_an_acknowledged_entry_hides_until_a_meeting_changes(demo_app: Flask, run_cli: Any) -> None:
    make_user(run_cli, "erika", "editor")
    client = demo_app.test_client()
    login(client, "erika")
    page = client.get("/konflikte", query_string=QUARTER)
    html = page.get_data(as_text=True)
    assert "<strong>4 Einträge</strong>" in html
    clash_row = html[html.index("Dienstag, 28.05.2024") :]
    key = _entry_keys(clash_row)[0]
    sent = client.post(
        "/konflikte/kenntnis",
        data={"csrf_token": csrf_from(html), "key": key, "summary": "28.05.: bekannt", "zurueck": "/konflikte?x=1"},
    )
    assert sent.status_code == 302 and sent.headers["Location"] == "/konflikte?x=1"
    after = client.get("/konflikte", query_string=QUARTER).get_data(as_text=True)
    assert "<strong>3 Einträge</strong>" in after and "28.05.2024" not in after.split("<tbody>")[1]
    assert "1 zur Kenntnis genommen" in after
    shown = client.get("/konflikte", query_string={**QUARTER, "alle": "1"}).get_data(as_text=True)
    assert "Zur Kenntnis genommen von erika" in shown and "Wieder anzeigen" in shown
    with demo_app.app_context(), session_scope(demo_app) as s:
        audit = s.scalar(select(AuditEntry).where(AuditEntry.action == "acknowledge"))
        assert audit is not None and audit.actor == "erika"
        fachrunde = s.scalar(select(MeetingSeries).where(MeetingSeries.title == FACHRUNDE))
        assert fachrunde is not None
        update_series(s, "erika", fachrunde, {"location": "Raum 101"}, fachrunde.version)
    back = client.get("/konflikte", query_string=QUARTER).get_data(as_text=True)
    assert "<strong>4 Einträge</strong>" in back  # the meeting changed: the entry is back


def test_entries_link_to_edit_pages_and_free_slots_to_move_them(demo_app: Flask, run_cli: Any) -> None:
    make_user(run_cli, "erika", "editor")
    client = demo_app.test_client()
    login(client, "erika")
    html = client.get("/konflikte", query_string=QUARTER).get_data(as_text=True)
    edit = re.search(r'href="(/bearbeiten/serien/\d+/termin/2024-05-28T1[01]:00)"', html)
    assert edit and client.get(edit.group(1)).status_code == 200
    slots_link = re.search(r'href="(/konflikte/freie-zeiten\?[^"]*ab=2024-05-28[^"]*)"', html)
    assert slots_link
    slots = client.get(slots_link.group(1).replace("&amp;", "&"))
    text = slots.get_data(as_text=True)
    assert slots.status_code == 200 and "dorthin verschieben" in text
    days = re.findall(r"<li>(\w+, \d\d\.\d\d\.\d{4}), \d\d:\d\d", text)
    assert days and max(days.count(d) for d in days) <= 3 and len(set(days)) > 1  # choices across days
    move = re.search(r'href="(/bearbeiten/serien/\d+/termin/[^"?]+)\?neu=([0-9T:-]+)"', text)
    assert move
    form = client.get(f"{move.group(1)}?neu={move.group(2)}").get_data(as_text=True)
    assert f'value="{move.group(2)[:10]}"' in form and f'value="{move.group(2)[11:]}"' in form


def test_api_and_cli_show_entries_hints_and_acknowledgements(demo_app: Flask, run_cli: Any) -> None:
    make_user(run_cli, "erika", "editor")
    token = make_token(run_cli, "erika")
    client = demo_app.test_client()
    query = {"from": "2024-04-01", "to": "2024-07-01"}
    body = client.get("/api/v1/conflicts", query_string=query).get_json()
    assert len(body["entries"]) == 4 and [h["person"] for h in body["hints"]] == ["Int2"]
    clash = next(e for e in body["entries"] if e["day"] == "2024-05-28")
    assert sorted(clash["kinds"]) == ["lead_missing", "overlap"] and len(clash["reasons"]) == 3
    assert all(o["edit"].startswith("/bearbeiten/serien/") for o in clash["occurrences"])
    auth = {"Authorization": f"Bearer {token}"}
    made = client.post("/api/v1/conflicts/acknowledgements", json={"key": clash["key"], "summary": "bekannt"},
                       headers=auth)  # fmt: skip
    assert made.status_code == 201 and made.get_json()["by"] == "erika"
    bad = client.post("/api/v1/conflicts/acknowledgements", json={"key": "x"}, headers=auth)
    assert bad.status_code == 422 and bad.get_json()["error"]["field"] == "key"
    after = client.get("/api/v1/conflicts", query_string=query).get_json()
    assert len(after["entries"]) == 3 and after["acknowledged_hidden"] == 1
    everything = client.get("/api/v1/conflicts", query_string={**query, "all": "1"}).get_json()
    assert next(e for e in everything["entries"] if e["key"] == clash["key"])["acknowledged"]["by"] == "erika"
    table = run_cli("conflicts", "--from", "2024-04-01", "--to", "2024-06-30")
    assert table.exit_code == 1
    assert "Int2 ist unbesetzt und Mitglied in 12 Gremien" in table.output
    assert "3 Eintrag/Einträge und 1 Hinweis(e)" in table.output and "1 zur Kenntnis genommen" in table.output
    as_json = json.loads(run_cli("conflicts", "--from", "2024-04-01", "--to", "2024-06-30", "--json", "--alle").output)
    assert len(as_json["entries"]) == 4
    assert client.delete(f"/api/v1/conflicts/acknowledgements/{clash['key']}", headers=auth).status_code == 204
    assert len(client.get("/api/v1/conflicts", query_string=query).get_json()["entries"]) == 4


def test_the_save_warning_summarises_instead_of_listing_everything(demo_app: Flask) -> None:
    weekly = {
        "title": "Wöchentliche Runde",
        "gremium": "dienstberatung-integration",
        "dtstart": "2024-01-09T10:30",
        "duration_minutes": 60,
        "rrule": "FREQ=WEEKLY;COUNT=52",
    }
    with demo_app.app_context(), session_scope(demo_app) as s, pytest.raises(Unconfirmed) as refused:
        create_series(s, "a", weekly)
    warning = refused.value
    assert warning.total > 20
    assert len(warning.conflicts) <= 7  # counts, at most five lines, "… und N weitere"
    assert warning.conflicts[0].startswith(f"{warning.total} Konflikte: ")
    assert warning.conflicts[-1].startswith("… und ")
    assert warning.to_dict()["count"] == warning.total == sum(warning.by_kind.values())


def test_the_overview_and_the_import_report_name_the_vacant_post(demo_app: Flask, run_cli: Any, tmp_path: Any) -> None:
    html = demo_app.test_client().get("/uebersicht").get_data(as_text=True)
    assert "Int2 ist unbesetzt und Mitglied in 12 Gremien" in html
    plan = tmp_path / "plan.txt"
    text = (
        Path(__file__).resolve().parents[1] / "calsvc" / "data" / "arbeitsplan-integrationsbuero-2024.txt"
    ).read_text()
    plan.write_text(text, encoding="utf-8")
    result = run_cli("import-plan", str(plan), "--dry-run")
    assert "Hinweise:\n  - Int2 ist unbesetzt und Mitglied in 11 Gremien." in result.output
