"""Documents fit for publication (BITV 2.0): Word files declare German, PDFs are tagged PDF/UA.

Shared by the quarterly report and the Arbeitsplan. A Word file marked en-US makes German Word
flag every word; an untagged PDF cannot be read by screen readers. So every DOCX carries
``de-DE`` in its style defaults, its settings, its core properties and on every run, and every
PDF is written as PDF/UA-1 (tagged, with /Lang from ``<html lang="de">`` and the
document title from ``<title>`` shown as the window title).
"""

from __future__ import annotations

from typing import Any

from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

__all__ = ["LANGUAGE", "PDF_OPTIONS", "german_docx"]

LANGUAGE = "de-DE"
PDF_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}


def german_docx(document: DocxDocument, title: str) -> None:
    """Mark ``document`` German throughout and give it ``title`` (call after adding the content)."""
    styles = document.styles.element
    for lang in styles.iter(qn("w:lang")):
        lang.set(qn("w:val"), LANGUAGE)
        lang.set(qn("w:eastAsia"), LANGUAGE)
    settings = document.settings.element
    for theme_lang in settings.iter(qn("w:themeFontLang")):
        theme_lang.set(qn("w:val"), LANGUAGE)
    parts = [document.element.body]
    for section in document.sections:
        parts += [section.header._element, section.footer._element]
    for part in parts:
        for run in part.iter(qn("w:r")):
            _run_language(run)
    document.core_properties.language = LANGUAGE
    document.core_properties.title = title


def _run_language(run: Any) -> None:
    """``<w:rPr><w:lang w:val="de-DE"/>`` on one run (rPr is created where missing)."""
    props = run.get_or_add_rPr()
    lang = props.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        props.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
