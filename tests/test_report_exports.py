"""The report's files: CSV for Excel, DOCX for the BA-Vorlage, A4 PDF (looked at as a PNG)."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from flask import Flask

from calsvc.db import session_scope
from calsvc.report import build_quarter_report, render
from calsvc.report.csv_export import ACTIVITY_HEADER, CHANGE_HEADER, GREMIUM_HEADER
from calsvc.report.model import QuarterReport

from .conftest import need
from .report_support import small_plan_app

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture
def demo_report(demo_app: Flask) -> QuarterReport:
    with demo_app.app_context(), session_scope(demo_app) as session:
        return build_quarter_report(session, 2024, 2, today=date(2025, 1, 15))


def _sections(data: bytes) -> list[list[list[str]]]:
    """The CSV's sections (split at blank rows), read the way Excel-minded code would."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    sections: list[list[list[str]]] = [[]]
    for row in rows:
        if row:
            sections[-1].append(row)
        else:
            sections.append([])
    return sections


def test_csv_has_bom_semicolons_and_intact_umlauts(demo_report: QuarterReport) -> None:
    data = render(demo_report, "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    activities, gremien, changes = _sections(data)
    assert tuple(activities[0]) == ACTIVITY_HEADER and len(activities) == 1 + 25
    assert tuple(gremien[0]) == GREMIUM_HEADER and tuple(changes[0]) == CHANGE_HEADER
    first = activities[1]
    assert first[:4] == ["1", "Bezirksrunde Antisemitismusprävention", "IntB", "Januar 2024 April 2024"]
    assert first[5] == "geplant" and first[8] == "ja"
    assert any("„Interkulturellen Tage 2024“" in row[1] for row in activities)
    laf = next(row for row in gremien if row[0] == "Jour fixe der LAF-Unterkünfte")
    assert laf[1:7] == ["Int1", "0", "0", "1", "0", "1"] and "16.05.2024 (verlegt)" in laf[7]
    assert len(gremien) - 1 == len(demo_report.gremien)


def test_csv_lists_changes_with_their_details(app: Flask) -> None:
    small_plan_app(app)
    with app.app_context(), session_scope(app) as session:
        report = build_quarter_report(session, 2024, 2, today=date(2025, 1, 15))
    _activities, _gremien, changes = _sections(render(report, "csv"))
    assert [row[1] for row in changes[1:]] == ["Bearbeitung", "Plan-Import"]
    assert (
        changes[1][0] == "02.05.2024 10:30" and "jetzt „Januar 2024 April 2024“ (bisher „Januar 2024“)" in changes[1][3]
    )


def test_docx_opens_and_has_the_activity_and_gremien_tables(demo_report: QuarterReport) -> None:
    document = Document(io.BytesIO(render(demo_report, "docx")))
    activities, gremien = document.tables
    assert [c.text for c in activities.rows[0].cells] == ["Nr.", "Aktivität", "Zuständigkeit", "Terminierung", "Stand"]
    assert len(activities.rows) == 1 + 25
    row7 = [c.text for c in activities.rows[7].cells]
    assert row7[:4] == ["7", "Kurzschulung zu den neuen Regelungen im AsylLG", "Int1, SozL", "25. April 2024"]
    assert row7[4].startswith("geplant") and "überfällig" in row7[4]
    names = [row.cells[0].text for row in gremien.rows[1:]]
    assert "Jour fixe der LAF-Unterkünfte" in names and len(names) == len(demo_report.gremien_with_meetings)
    section = document.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    assert "Abarbeitungsstand Arbeitsplan 2024" in document.paragraphs[0].text
    assert "II. Quartal 2024" in section.header.paragraphs[0].text


def test_pdf_is_a4_and_its_first_page_becomes_a_png(demo_app: Flask, demo_report: QuarterReport) -> None:
    with demo_app.app_context():
        data = render(demo_report, "pdf")
    assert data.startswith(b"%PDF")
    need(shutil.which("pdftoppm") is not None, "pdftoppm (poppler-utils) is not installed")
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / "bericht-2024-Q2.pdf"
    pdf.write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(ARTIFACTS / "bericht-2024-Q2")],
        check=True,
        timeout=60,
    )
    png = ARTIFACTS / "bericht-2024-Q2-1.png"
    assert png.read_bytes().startswith(b"\x89PNG")
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert "595.276 x 841.89 pts (A4)" in info or "(A4)" in info
        assert int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:"))) >= 2
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Abarbeitungsstand Arbeitsplan 2024" in text and "Seite 1 von" in text
        assert "Herunterladen" not in text and "Quartalsbericht" not in text  # no navigation on paper
