"""The /bericht pages: the German report page, its downloads and friendly errors."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

import pytest
from docx import Document
from flask import Flask

from calsvc.report.quarter import Quarter
from calsvc.schedule.walltime import BERLIN


@pytest.fixture
def demo_client(demo_app: Flask) -> Any:
    return demo_app.test_client()


def test_bericht_redirects_to_the_current_quarter(client: Any) -> None:
    current = Quarter.containing(datetime.now(BERLIN).date())
    answer = client.get("/bericht/")
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(f"/bericht/{current.year}/Q{current.number}")


def test_quarter_page_is_german_with_all_activities_and_download_links(demo_client: Any) -> None:
    answer = demo_client.get("/bericht/2024/Q2")
    assert answer.status_code == 200 and answer.mimetype == "text/html"
    page = answer.get_data(as_text=True)
    assert "Abarbeitungsstand Arbeitsplan 2024" in page and "II. Quartal 2024" in page
    assert "Berichtszeitraum 01.04.2024–30.06.2024" in page
    assert page.count('<td class="num">') >= 25
    assert "Klausur/Planungstreffen des Integrationsbüros" in page and "überfällig" in page
    assert "16.05.2024 verlegt (statt 09.05.2024)" in page
    for fmt in ("pdf", "docx", "csv"):
        assert f'href="/bericht/2024/Q2.{fmt}"' in page
    assert 'href="/bericht/2024/Q1"' in page and 'href="/bericht/2024/Q3"' in page


@pytest.mark.parametrize(
    ("fmt", "mimetype", "magic"),
    [
        ("pdf", "application/pdf", b"%PDF"),
        ("csv", "text/csv", b"\xef\xbb\xbflfd. Nr.;"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK"),
    ],
)
def test_downloads_have_type_and_file_name(demo_client: Any, fmt: str, mimetype: str, magic: bytes) -> None:
    answer = demo_client.get(f"/bericht/2024/Q2.{fmt}")
    assert answer.status_code == 200
    assert answer.mimetype == mimetype
    assert answer.headers["Content-Disposition"] == f'attachment; filename="abarbeitungsstand-2024-Q2.{fmt}"'
    assert answer.data.startswith(magic)
    if fmt == "csv":
        assert answer.headers["Content-Type"] == "text/csv; charset=utf-8"
    if fmt == "docx":
        assert len(Document(io.BytesIO(answer.data)).tables[0].rows) == 26


@pytest.mark.parametrize("path", ["/bericht/2024/Q5", "/bericht/2024/Q0", "/bericht/1800/Q1", "/bericht/2024/Q5.pdf"])
def test_an_invalid_quarter_is_a_friendly_404_listing_valid_ones(client: Any, path: str) -> None:
    answer = client.get(path)
    assert answer.status_code == 404
    page = answer.get_data(as_text=True)
    assert "Diesen Bericht gibt es nicht" in page and "Traceback" not in page
    assert "/Q1</code>" in page and "/Q4</code>" in page


def test_an_unknown_format_is_a_friendly_404(client: Any) -> None:
    answer = client.get("/bericht/2024/Q2.xls")
    assert answer.status_code == 404
    page = answer.get_data(as_text=True)
    assert "Das Format „xls“ gibt es nicht." in page and "/bericht/2024/Q2.pdf" in page


def test_a_year_without_a_plan_still_renders(client: Any) -> None:
    page = client.get("/bericht/2031/Q1").get_data(as_text=True)
    assert "keine Aktivitäten erfasst" in page and "keine Gremiensitzungen erfasst" in page
