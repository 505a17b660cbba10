"""Documents fit for publication (issue 17, BITV 2.0): Word files in German, PDFs tagged with language and title."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from datetime import date

import pytest
from flask import Flask

from calsvc.db import session_scope
from calsvc.plan.export import plan_export
from calsvc.plan.pdf import render_plan_pdf
from calsvc.plan.word import render_plan_docx
from calsvc.report import build_quarter_report, render

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def documents(demo_app: Flask) -> dict[str, bytes]:
    with demo_app.app_context(), session_scope(demo_app) as session:
        report = build_quarter_report(session, 2024, 2, today=date(2025, 1, 15))
        plan = plan_export(session, 2024)
        return {
            "report.docx": render(report, "docx"),
            "report.pdf": render(report, "pdf"),
            "plan.docx": render_plan_docx(plan),
            "plan.pdf": render_plan_pdf(plan),
        }


@pytest.mark.parametrize("name", ["report.docx", "plan.docx"])
def test_word_files_are_german_in_defaults_settings_runs_and_properties(documents: dict[str, bytes], name: str) -> None:
    from lxml import etree

    parts = zipfile.ZipFile(io.BytesIO(documents[name]))
    styles = etree.fromstring(parts.read("word/styles.xml"))
    default = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert default is not None and default.get(f"{W}val") == "de-DE"
    for part in ("word/styles.xml", "word/settings.xml", "word/document.xml"):
        assert b"en-US" not in parts.read(part), part
    body = etree.fromstring(parts.read("word/document.xml"))
    runs = body.findall(f".//{W}r")
    assert runs and all(r.find(f"{W}rPr/{W}lang").get(f"{W}val") == "de-DE" for r in runs)
    core = parts.read("docProps/core.xml").decode()
    assert "<dc:language>de-DE</dc:language>" in core and "<dc:title>" in core


def _pdf_objects(pdf: bytes) -> bytes:
    """The PDF's own bytes plus every Flate stream inflated (object streams hold the catalog)."""
    found = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            found.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue  # an image or other non-Flate stream
    return b"\n".join(found)


@pytest.mark.parametrize(("name", "title"), [("report.pdf", "Abarbeitungsstand Arbeitsplan 2024"),
                                             ("plan.pdf", "Arbeitsplan des Integrationsbüros")])  # fmt: skip
def test_pdfs_are_tagged_pdf_ua_with_language_and_title(documents: dict[str, bytes], name: str, title: str) -> None:
    objects = _pdf_objects(documents[name])
    assert b"/StructTreeRoot" in objects
    assert re.search(rb"/MarkInfo\s*<<\s*/Marked\s+true", objects)
    assert b"/Lang (de)" in objects
    assert b"/DisplayDocTitle true" in objects
    assert b'pdfuaid:part="1"' in objects  # XMP: declared PDF/UA-1
    assert re.search(rb"<dc:title>.*?" + title.encode() + rb".*?</dc:title>", objects, re.S)
