"""Keyboard only (WCAG 2.1.1, 2.4.7): log in, create a series, cancel one date and move another.

No mouse clicks: Tab/Shift+Tab to reach a control, typing, Enter/Space to press, arrow keys
inside a radio group. At every stop the focused element must show a visible focus indicator.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from calsvc.db import session_scope
from calsvc.models import MeetingSeries

from .a11y_support import shot
from .browser_support import chromium, live_server
from .editing_support import PASSWORD, make_user

pytestmark = pytest.mark.browser

MAX_TABS = 150
TITLE = "Tastatur-Runde"
FOCUS_STYLE = """() => { const e = document.activeElement; const s = getComputedStyle(e);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  return {outline, shadow: s.boxShadow !== 'none', tag: e.tagName, text: (e.innerText || e.name || '').slice(0, 40)}; }"""


def _focus_visible(page: Any) -> dict[str, Any]:
    """The focused element and whether it shows an outline or a box shadow."""
    return dict(page.evaluate(FOCUS_STYLE))


def tab_to(page: Any, selector: str, *, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until ``selector`` has the focus; it must show a focus indicator."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            state = _focus_visible(page)
            assert state["outline"] or state["shadow"], f"no visible focus on {selector}: {state}"
            return
    raise AssertionError(f"{selector} is not reachable with {key}")


def _enter(page: Any, key: str = "Enter") -> None:
    """Press ``key`` on the focused control and wait for the page it loads."""
    with page.expect_navigation():
        page.keyboard.press(key)


def type_date(page: Any, iso: str) -> None:
    """Type a date into the focused date field, day first (German) or month first (the browser's en-US)."""
    year, month, day = iso.split("-")
    page.keyboard.type(day + month + year)
    if page.evaluate("document.activeElement.value") != iso:
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Shift+Tab")  # back to the first segment of the same field
        page.keyboard.type(month + day + year)
    assert page.evaluate("document.activeElement.value") == iso


def type_morning_time(page: Any, hhmm: str) -> None:
    """Type a time before noon; a 12-hour field (en-US browser) then wants its AM segment too."""
    page.keyboard.type(hhmm.replace(":", ""))
    if page.evaluate("document.activeElement.value") != hhmm:
        page.keyboard.type("A")
    assert page.evaluate("document.activeElement.value") == hhmm


def _confirm_conflicts(page: Any) -> None:
    """When the save reports conflicts, confirm with "Trotzdem speichern" — by keyboard too."""
    if page.locator("button", has_text="Trotzdem speichern").count():
        tab_to(page, "button.button-warn")
        _enter(page)


def test_editor_works_with_the_keyboard_only(demo_app: Flask, run_cli: Any) -> None:
    make_user(run_cli)
    with live_server(demo_app) as base, chromium() as browser:
        page = browser.new_page(base_url=base, locale="de-DE", viewport={"width": 1366, "height": 900})
        page.goto("/anmelden?next=/bearbeiten/")
        tab_to(page, "input[name=name]")
        page.keyboard.type("erika")
        tab_to(page, "input[name=password]")
        page.keyboard.type(PASSWORD)
        _enter(page)
        assert page.url.endswith("/bearbeiten/")

        tab_to(page, "a[href$='/bearbeiten/serien/neu']")
        _enter(page)
        tab_to(page, "#f-title")
        page.keyboard.type(TITLE)
        tab_to(page, "#f-date")
        type_date(page, "2025-02-03")
        tab_to(page, "#f-time")
        type_morning_time(page, "08:15")
        tab_to(page, "#f-location")
        page.keyboard.type("Rathaus Hellersdorf, Alice-Salomon-Platz 3, Raum 1.12")
        tab_to(page, "input[name=pattern]:checked")  # the group's stop is its checked radio
        page.keyboard.press("ArrowRight")  # einmalig → wöchentlich
        tab_to(page, "input[name=end_mode]:checked")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")  # ohne Ende → Ende am → nach
        tab_to(page, "#f-count")
        page.keyboard.type("6")
        shot(page, "keyboard-series-form")
        tab_to(page, "form.edit-form button[type=submit]")
        _enter(page)
        _confirm_conflicts(page)
        assert "angelegt" in page.content(), page.content()[:2000]

        tab_to(page, "a[href*='/termin/2025-02-03T08:15']")
        _enter(page)
        tab_to(page, "#f-cancel-note")
        page.keyboard.type("Urlaub")
        tab_to(page, "button.button-warn")
        _enter(page, "Space")
        assert "gespeichert" in page.content()

        tab_to(page, "a[href*='/termin/2025-02-10T08:15']")
        _enter(page)
        tab_to(page, "#f-new_time")
        type_morning_time(page, "10:30")
        tab_to(page, "#f-note")
        page.keyboard.type("später wegen Raum")
        tab_to(page, "form.edit-form button[type=submit]")
        _enter(page)
        _confirm_conflicts(page)
        assert "gespeichert" in page.content()
        shot(page, "keyboard-series-after")

    with demo_app.app_context(), session_scope(demo_app) as s:
        series = s.scalars(select(MeetingSeries).where(MeetingSeries.title == TITLE)).one()
        assert series.rrule and "COUNT=6" in series.rrule
        by_day = {e.recurrence_id.date().isoformat(): e for e in series.exceptions}
        assert by_day["2025-02-03"].cancelled and by_day["2025-02-03"].note == "Urlaub"
        moved = by_day["2025-02-10"]
        assert moved.new_start is not None and f"{moved.new_start:%H:%M}" == "10:30"
