"""The agenda on paper: Chromium's print-to-PDF, read back with pdftotext.

Every meeting prints with its full location, time and participants; the page says when it was
printed and explains its badges; the list view uses the full width and keeps a meeting on one page.
"""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import pytest
from flask import Flask

from .a11y_support import ARTIFACTS
from .browser_support import chromium, live_server
from .conftest import need

pytestmark = pytest.mark.browser

EVENTS = """sel => [...document.querySelectorAll(sel)].map(e => ({
  time: e.querySelector('.ev-time').textContent, title: e.querySelector('.ev-title').textContent,
  loc: e.querySelector('.ev-loc')?.textContent || '', who: e.querySelector('.ev-who')?.textContent || ''}))"""


def _flat(text: str) -> str:
    """Text without whitespace and hyphens: pdftotext joins "Alice-⏎Salomon" at a line break."""
    return "".join(text.split()).replace("-", "")


def _pdf_pages(page: Any, name: str) -> list[str]:
    """Print the page to tests/artifacts/NAME.pdf; its text, one string per page."""
    need(shutil.which("pdftotext") is not None, "pdftotext is not installed (Debian package poppler-utils)")
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.pdf"
    page.pdf(path=str(path), prefer_css_page_size=True, print_background=True)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return [_flat(p) for p in text.split("\f") if p.strip()]


def _meetings(page: Any, scope: str) -> list[dict[str, str]]:
    """Time, title, location and participants of each meeting the page shows (not moved-away ghosts)."""
    found = page.evaluate(EVENTS, f"{scope} li.event-meeting:not(.is-ghost)")
    assert found, f"no meetings in {scope}"
    return list(found)


def test_month_grid_prints_every_meeting_in_full_with_date_and_legend(demo_app: Flask) -> None:
    with live_server(demo_app) as base, chromium() as browser:
        page = browser.new_page(base_url=base, viewport={"width": 1366, "height": 900})
        page.goto("/agenda/2024/05")
        meetings = _meetings(page, ".month-grid")
        pages = _pdf_pages(page, "print-agenda-2024-05")
    text = "".join(pages)
    assert _flat("Gedruckt am") in text
    assert _flat("fällt aus abgesagt") in text and _flat("verlegt auf einen anderen Termin") in text  # the legend
    for m in meetings:
        for part in (m["time"], m["loc"], m["who"]):
            assert _flat(part) in text, f"{m['title']} {m['time']}: {part!r} missing from the print"
    assert any("Rathaus Hellersdorf, Alice-Salomon-Platz" in m["loc"] for m in meetings)


def test_list_view_prints_full_width_without_splitting_a_meeting(demo_app: Flask) -> None:
    with live_server(demo_app) as base, chromium() as browser:
        page = browser.new_page(base_url=base, viewport={"width": 1366, "height": 900})
        page.goto("/agenda/2024/05/liste")
        meetings = _meetings(page, ".day-list")
        page.emulate_media(media="print")
        widths = page.evaluate(
            "() => [document.querySelector('.day-list').getBoundingClientRect().width,"
            " Math.min(...[...document.querySelectorAll('.day-list .event')].map(e => e.getBoundingClientRect().width))]"
        )
        assert widths[1] >= 0.95 * widths[0], f"events print at {widths[1]:.0f} of {widths[0]:.0f} px"
        assert page.evaluate("getComputedStyle(document.querySelector('.day-list .event')).breakInside") == "avoid"
        pages = _pdf_pages(page, "print-agenda-2024-05-liste")
    assert len(pages) > 1  # long enough that page breaks matter
    assert _flat("Gedruckt am") in pages[0] and _flat("fällt aus abgesagt") in "".join(pages)
    for m in meetings:
        whole = _flat(m["time"] + m["title"])
        on = [i for i, p in enumerate(pages) if whole in p]
        assert on, f"{m['title']} {m['time']} missing from the print"
        assert any(_flat(m["loc"]) in pages[i] and _flat(m["who"]) in pages[i] for i in on), f"{m['title']} split"
