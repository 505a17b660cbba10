"""In Chromium: plan a meeting with an internal person and an external guest using the assistant and the preview."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from calsvc.db import session_scope
from calsvc.models import MeetingSeries

from .a11y_support import log_in
from .browser_support import chromium, live_server
from .editing_support import make_token, make_user
from .test_participants import WEEKLY, _people

pytestmark = pytest.mark.browser


def test_plan_a_meeting_with_a_guest_using_the_assistant_and_the_preview(app: Flask, run_cli: Any) -> None:
    _people(app)
    make_user(run_cli)
    token = make_token(run_cli)
    client = app.test_client()
    # IntB's Dienstberatung: Tuesdays 10:00–11:00 from 02.03.2027
    assert client.post("/api/v1/series", json=WEEKLY, headers={"Authorization": f"Bearer {token}"}).status_code == 201
    with live_server(app) as base, chromium() as browser:
        page = browser.new_page()
        log_in(page, base)
        page.goto(f"{base}/bearbeiten/serien/neu")
        page.fill("#f-title", "Abstimmung Träger")
        page.check("input[name=participants][value=IntB]")
        page.fill("#f-guests", "Anna Gast; anna@example.org; Verein Brücke")
        page.fill("#f-date", "2027-03-09")
        page.fill("#f-duration_minutes", "60")
        page.fill("#f-assistant_from", "2027-03-09")
        page.fill("#f-assistant_to", "2027-03-09")
        page.fill("#f-assistant_hours", "09:00-12:00")
        with page.expect_navigation():
            page.click("button[name=assistant]")
        slots = page.locator("button[name=slot]")
        assert slots.all_inner_texts() == ["Di, 09.03.2027, 09:00–10:00", "Di, 09.03.2027, 11:00–12:00"]
        slots.nth(1).click()  # filled in place by the script: no page load
        assert page.input_value("#f-time") == "11:00" and page.input_value("#f-date") == "2027-03-09"
        assert page.input_value("#f-guests") == "Anna Gast; anna@example.org; Verein Brücke"  # kept by the search
        page.check("input[name=pattern][value=weekly]")
        page.check("input[name=end_mode][value=count]")
        page.fill("#f-count", "3")
        preview = page.locator("#vorschau")
        preview.get_by_text("jeden Dienstag, 11:00–12:00, 3 Termine").wait_for()
        assert preview.locator("li").all_inner_texts() == [
            "Di, 09.03.2027, 11:00",
            "Di, 16.03.2027, 11:00",
            "Di, 23.03.2027, 11:00",
        ]
        page.fill("#f-until", "2027-04-30")  # "Ende am" typed while "nach n Terminen" is chosen
        preview.get_by_text("„Ende am“ ist ausgefüllt").wait_for()
        page.fill("#f-until", "")
        preview.get_by_text("3 Termine").wait_for()
        with page.expect_navigation():
            page.keyboard.press("Enter")  # in the count field: Enter saves (the tools are not the default button)
        assert "angelegt" in page.content()
    with session_scope(app) as s:
        series = s.scalar(select(MeetingSeries).where(MeetingSeries.title == "Abstimmung Träger"))
        assert series is not None
        assert f"{series.dtstart:%Y-%m-%d %H:%M}" == "2027-03-09 11:00"
        assert series.rrule == "FREQ=WEEKLY;BYDAY=TU;COUNT=3"
        assert [p.person.code for p in series.participants] == ["IntB"]
        assert [(g.name, g.email, g.organisation) for g in series.guests] == [
            ("Anna Gast", "anna@example.org", "Verein Brücke")
        ]
