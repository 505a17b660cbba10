"""The agenda in a real browser: headless Chromium on a live server with the demo loaded.

Screenshots and the print PDF go to ``tests/artifacts/`` (git-ignored) for a human to look at.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import sync_playwright  # a dev dependency: make test installs it
from werkzeug.serving import make_server

from .conftest import need

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MAY_INTB = "/agenda/2024/05?person=IntB"


@pytest.fixture
def live_server(demo_app: Flask) -> Iterator[str]:
    """The demo app served by werkzeug on a free port of 127.0.0.1, in a thread."""
    server = make_server("127.0.0.1", 0, demo_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    server.server_close()


@pytest.fixture
def browser() -> Iterator[Any]:
    """Headless Chromium driven by Playwright (skips, or fails under CALSVC_STRICT_TESTS, when missing)."""
    need(CHROMIUM.exists(), f"{CHROMIUM} is not installed (Debian package chromium)")

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def test_may_2024_for_intb_shows_meetings_activities_and_holidays(live_server: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="de-DE")
    page.goto(live_server + MAY_INTB)
    assert page.title().startswith("Monatsagenda Mai 2024 · IntB")
    for day in ("2024-05-14", "2024-05-28"):
        dienst = page.locator(f"#tag-{day} .event", has=page.locator(".ev-title", has_text="Dienstberatung"))
        assert dienst.is_visible() and "10:00–11:30" in dienst.inner_text()
    holiday = page.locator("#tag-2024-05-20")
    assert "Pfingstmontag" in holiday.inner_text()
    normal = page.locator("#tag-2024-05-21")
    assert _background(holiday) != _background(normal)  # marked, not just named
    clash = page.locator("#tag-2024-05-28 .event.has-conflict .badge-conflict", has_text="Überschneidung").first
    assert clash.is_visible()  # the checker's double booking of IntB (Fachrunde vs. Dienstberatung)
    quarter = page.locator(".activity-band .band-item", has_text="II. Quartal").first
    assert quarter.is_visible()
    assert page.locator("#tag-2024-05-14 .ev-details dl").first.is_hidden()  # participants behind "Details"
    page.screenshot(path=str(ARTIFACTS / "agenda-2024-05-IntB.png"), full_page=True)


def test_print_is_one_a4_landscape_page_without_navigation(live_server: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(live_server + MAY_INTB)
    page.emulate_media(media="print")
    for hidden in (".site-header", ".filters", ".month-nav", ".subscribe", ".site-footer"):
        assert page.locator(hidden).first.is_hidden(), hidden
    assert page.locator("#tag-2024-05-31").is_visible() and page.locator(".activity-band").is_visible()
    page.screenshot(path=str(ARTIFACTS / "agenda-2024-05-IntB-print.png"), full_page=True)
    pdf = page.pdf(path=str(ARTIFACTS / "agenda-2024-05-IntB.pdf"), prefer_css_page_size=True, print_background=True)
    assert _pdf_pages(pdf) == 1
    width, height = (float(v) for v in re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", pdf).groups())
    assert round(width) == 842 and round(height) == 595  # A4 landscape in points
    page.goto(live_server + "/agenda/2024/05")  # the whole office: the fullest month view
    assert _pdf_pages(page.pdf(prefer_css_page_size=True, print_background=True)) == 1


def test_phone_width_has_no_horizontal_overflow(live_server: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 812}, is_mobile=True)
    page.goto(live_server + MAY_INTB)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"page is {overflow}px wider than the phone"
    assert page.locator(".small-screen-hint a", has_text="Listenansicht").is_visible()
    assert page.locator("#tag-2024-05-14").is_visible() and page.locator("#tag-2024-04-29").is_hidden()
    page.screenshot(path=str(ARTIFACTS / "agenda-2024-05-IntB-375px.png"), full_page=True)
    page.goto(live_server + "/agenda/2024/05/liste?person=IntB")
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    page.screenshot(path=str(ARTIFACTS / "agenda-2024-05-IntB-liste-375px.png"), full_page=True)


def test_filters_work_without_javascript(live_server: str, browser: Any) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + MAY_INTB)
    page.select_option("#f-person", "Int1")
    page.select_option("#f-gremium", "jour-fixe-der-laf-unterkuenfte")
    page.click("button[type=submit]")
    assert page.url.endswith("/agenda/2024/05?person=Int1&gremium=jour-fixe-der-laf-unterkuenfte")
    assert "LAF-Jour fixe" in page.locator("#tag-2024-05-16").inner_text()
    page.click("a[rel=next]")
    assert page.url.endswith("/agenda/2024/06?person=Int1&gremium=jour-fixe-der-laf-unterkuenfte")
    context.close()


def _background(locator: Any) -> str:
    return locator.evaluate("el => getComputedStyle(el).backgroundColor")


def _pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
