"""The Arbeitsplan document out of calsvc (issue 17): DOCX/PDF export, import back, Word-written plans."""

from __future__ import annotations

import dataclasses
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from flask import Flask
from sqlalchemy import select

from calsvc.db import session_scope
from calsvc.models import Activity, Gremium, OngoingTask
from calsvc.plan.demo import DEMO_PLAN
from calsvc.plan.export import PlanExport, plan_export, plan_text
from calsvc.plan.importer import import_plan
from calsvc.plan.parser import parse_plan
from calsvc.plan.word import docx_to_text, render_plan_docx
from calsvc.plan.years import new_plan


@pytest.fixture
def plan_app(app: Flask) -> Flask:
    """The packaged 2024 plan and its 2025 successor carried over (with one activity done)."""
    text = resources.files("calsvc.data").joinpath(DEMO_PLAN).read_text(encoding="utf-8")
    with app.app_context(), session_scope(app) as session:
        import_plan(session, text, year=2024, source="plan.txt")
        five = session.scalar(select(Activity).where(Activity.plan_year == 2024, Activity.number == 5))
        assert five is not None
        five.status = "erledigt"
        new_plan(session, "irina", 2025)
    return app


def _export(app: Flask, year: int) -> PlanExport:
    with app.app_context(), session_scope(app) as session:
        return plan_export(session, year)


def _without_carry(plan: PlanExport) -> PlanExport:
    rows = tuple(dataclasses.replace(a, carried_from_year=None) for a in plan.activities)
    return dataclasses.replace(plan, activities=rows)


def _facts(app: Flask, year: int) -> dict[str, Any]:
    with app.app_context(), session_scope(app) as session:
        activities = session.scalars(select(Activity).where(Activity.plan_year == year).order_by(Activity.number))
        gremien = session.scalars(select(Gremium).order_by(Gremium.name))
        tasks = session.scalars(select(OngoingTask).where(OngoingTask.plan_year == year).order_by(OngoingTask.position))
        return {
            "activities": [
                (
                    a.number,
                    a.title,
                    [p.code for p in a.responsible],
                    [(p.start, p.end, p.precision, p.focus) for p in a.periods],
                    a.ongoing,
                    a.tentative,
                    a.unscheduled,
                )
                for a in activities
            ],
            "gremien": [
                (
                    g.slug,
                    g.name,
                    g.level,
                    g.parent.slug if g.parent else None,
                    sorted((m.person.code, m.role) for m in g.memberships),
                )
                for g in gremien
            ],
            "tasks": [(t.title, t.description, t.gremium.slug if t.gremium else None) for t in tasks],
        }


def test_export_docx_then_import_into_a_fresh_database_gives_the_same_data(
    plan_app: Flask, second_app: Flask, tmp_path: Path
) -> None:
    exported = _export(plan_app, 2025)
    assert [a.number for a in exported.activities] == [n for n in range(1, 26) if n != 5]
    content = render_plan_docx(exported)
    text = docx_to_text(content)
    assert parse_plan(text).problems == ()
    with second_app.app_context(), session_scope(second_app) as session:
        import_plan(session, text, source="arbeitsplan-2025.docx")
    assert _without_carry(_export(second_app, 2025)) == _without_carry(exported)
    assert _facts(second_app, 2025) == _facts(plan_app, 2025)
    carried = {a.number: a.terminierung for a in exported.activities}
    assert carried[9] == "II. Quartal 2024, fortlaufend"  # verbatim where it reads the same in 2025
    assert carried[21] == "im IV. Quartal 2024"  # "IV. Quartal" would mean 2025 in the 2025 plan


def test_the_text_form_round_trips_the_published_2024_plan(plan_app: Flask, second_app: Flask) -> None:
    exported = _export(plan_app, 2024)
    with second_app.app_context(), session_scope(second_app) as session:
        import_plan(session, plan_text(exported), source="arbeitsplan-2024.txt")
    assert _export(second_app, 2024) == exported
    assert _facts(second_app, 2024) == _facts(plan_app, 2024)


def _numbered(paragraph: Any, num_id: str = "7") -> None:
    """Word's own numbering on a paragraph (<w:numPr>): the number is not part of the text."""
    props = paragraph._p.get_or_add_pPr()
    num = OxmlElement("w:numPr")
    level, ident = OxmlElement("w:ilvl"), OxmlElement("w:numId")
    level.set(qn("w:val"), "0")
    ident.set(qn("w:val"), num_id)
    num.append(level)
    num.append(ident)
    props.append(num)


def _word_plan(path: Path) -> None:
    """A plan as an office types it in Word: headings numbered by Word, bullets, two tables."""
    doc = Document()
    doc.add_paragraph("Bezirksamt Marzahn-Hellersdorf von Berlin")
    doc.add_heading("Arbeitsplan des Integrationsbüros des Bezirksamtes Marzahn-Hellersdorf für 2026", level=0)
    doc.add_paragraph(
        "Der nachfolgende Arbeitsplan umfasst die Arbeitsvorhaben der Integrationsbeauftragten (IntB) "
        "und der Koordinatorin für Flüchtlingsfragen (Int1)."
    )
    _numbered(doc.add_heading("laufende Tätigkeiten (verwaltungsintern/verwaltungsextern)", level=1))
    doc.add_paragraph("Zu den laufenden Tätigkeiten zählen u.a.:")
    bullet = doc.add_paragraph(style="List Bullet")
    bullet.add_run("Geschäftsführung des Beirates").bold = True
    bullet.add_run(" ")
    bullet.add_run("für Partizipation und Integration").bold = True
    bullet.add_run(" (inkl. Vor- und Nachbereitung)")
    other = doc.add_paragraph(style="List Bullet")
    other.add_run("Maßnahmen zur ")
    other.add_run("Presse- und Öffentlichkeitsarbeit").bold = True
    _numbered(doc.add_heading("Gremienarbeit (bezirklich/überbezirklich)", level=1))
    table = doc.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Gremium", "Leitung (L)/ Teilnahme"
    for name, members in (
        ("Beirat für Partizipation und Integration", "IntB (L), Int1"),
        ("AG Frauen und Integration (Beirat PartInt)", "IntB"),
        ("Landesbeirat für Integrations- und Migrationsfragen", "IntB"),
    ):
        row = table.add_row().cells
        row[0].text, row[1].text = name, members
    _numbered(doc.add_heading("geplante Aktivitäten des Integrationsbüros", level=1))
    activities = doc.add_table(rows=1, cols=4)
    for cell, head in zip(
        activities.rows[0].cells, ("lfd. Nr.", "Aktivität", "Zuständigkeit", "Terminierung"), strict=True
    ):
        cell.text = head
    for title, who, when in (
        ("Fachtag Willkommenskultur", "IntB, Int 1", "I. Quartal 2026, fortlaufend"),
        ("Neuauflage der Willkommens-\nBroschüre", "Int1", "März/April 2026"),
    ):
        row = activities.add_row().cells
        _numbered(row[0].paragraphs[0], "9")  # lfd. Nr. numbered by Word, the cell's text is empty
        row[1].text, row[2].text, row[3].text = title, who, when
    doc.save(str(path))


def test_import_plan_reads_a_plan_written_in_word(app: Flask, run_cli: Any, tmp_path: Path) -> None:
    source = tmp_path / "Arbeitsplan 2026.docx"
    _word_plan(source)
    result = run_cli("import-plan", str(source))
    assert result.exit_code == 0, result.output
    assert "Nicht gelesen: 0 Zeilen" in result.output
    with app.app_context(), session_scope(app) as session:
        rows = session.scalars(select(Activity).where(Activity.plan_year == 2026).order_by(Activity.number)).all()
        assert [(a.number, a.title, [p.code for p in a.responsible]) for a in rows] == [
            (1, "Fachtag Willkommenskultur", ["IntB", "Int1"]),
            (2, "Neuauflage der Willkommens-Broschüre", ["Int1"]),  # the line break inside the cell joined
        ]
        assert rows[0].ongoing and rows[0].terminierung == "I. Quartal 2026, fortlaufend"
        ag = session.scalar(select(Gremium).where(Gremium.name == "AG Frauen und Integration"))
        assert ag is not None and ag.parent is not None and ag.parent.name == "Beirat für Partizipation und Integration"
        land = session.scalar(select(Gremium).where(Gremium.name.startswith("Landesbeirat")))
        assert land is not None and land.level == "überbezirklich"
        tasks = session.scalars(select(OngoingTask).where(OngoingTask.plan_year == 2026)).all()
        assert [t.title for t in tasks] == [
            "Geschäftsführung des Beirates für Partizipation und Integration",
            "Presse- und Öffentlichkeitsarbeit",
        ]


def test_export_plan_cli_writes_docx_and_pdf(plan_app: Flask, run_cli: Any, tmp_path: Path) -> None:
    for fmt in ("docx", "pdf"):
        target = tmp_path / f"plan.{fmt}"
        result = run_cli("export-plan", "2025", "--format", fmt, "-o", str(target))
        assert result.exit_code == 0, result.output
        assert target.read_bytes()[:4] in (b"PK\x03\x04", b"%PDF")
    assert "Fachtag" not in docx_to_text((tmp_path / "plan.docx").read_bytes())
    assert "Einarbeitung von Int2" in docx_to_text((tmp_path / "plan.docx").read_bytes())
    missing = run_cli("export-plan", "2031")
    assert missing.exit_code != 0 and "Für 2031 gibt es keinen Arbeitsplan." in missing.output


def test_a_file_that_is_no_docx_is_refused_naming_the_file(app: Flask, run_cli: Any, tmp_path: Path) -> None:
    fake = tmp_path / "plan.docx"
    fake.write_bytes(b"not a zip")
    result = run_cli("import-plan", str(fake))
    assert result.exit_code != 0 and "Keine lesbare Word-Datei" in result.output


def test_the_plan_downloads_from_the_site(plan_app: Flask) -> None:
    client = plan_app.test_client()
    answer = client.get("/arbeitsplan/2025.docx")
    assert answer.status_code == 200 and 'filename="arbeitsplan-2025.docx"' in answer.headers["Content-Disposition"]
    assert "Planung von Maßnahmen" in docx_to_text(answer.get_data())
    assert client.get("/arbeitsplan/2025.odt").status_code == 404
    missing = client.get("/arbeitsplan/2031.pdf")
    assert missing.status_code == 404 and "Für 2031 gibt es keinen Arbeitsplan." in missing.get_data(as_text=True)
