"""The German page /konflikte: filters, links to the agenda day, friendly 404s."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask


@pytest.fixture
def web(demo_app: Flask) -> Any:
    return demo_app.test_client()


def test_page_lists_the_years_conflicts_with_agenda_links(web: Any) -> None:
    response = web.get("/konflikte?from=2024-01-01&to=2024-12-31")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="de">' in html and "<h1>Konflikte</h1>" in html
    assert "vom 01.01.2024 bis 31.12.2024" in html
    assert 'href="/agenda/2024/01#tag-2024-01-23"' in html
    assert 'href="/agenda/2024/05#tag-2024-05-01"' in html and "Erster Mai" in html
    assert "Überschneidung" in html and "Leitung fehlt" in html and "Kritisch" in html
    assert re.search(r"<strong>\d+ Einträge</strong>", html)
    assert "style=" not in html  # the CSP forbids inline styles


def test_filters_are_kept_and_narrow_the_list(web: Any) -> None:
    html = web.get(
        "/konflikte?from=2024-01-01&to=2024-12-31&person=intb&gremium=fachrunde-migrationssozialdienst"
    ).get_data(as_text=True)
    assert '<option value="IntB" selected>' in html
    assert '<option value="fachrunde-migrationssozialdienst" selected>' in html
    assert "Unbesetzte Stelle" not in html.split("<tbody>")[1]
    # the links (JSON included) carry the person's canonical code, as the agenda's do
    assert "person=IntB" in html and "person=intb" not in html and "gremium=fachrunde-migrationssozialdienst" in html


def test_empty_period_still_names_the_vacant_post(web: Any) -> None:
    html = web.get("/konflikte?from=2024-07-27&to=2024-07-28").get_data(as_text=True)
    assert "Sonst keine Konflikte im gewählten Zeitraum." in html
    assert "Int2 ist unbesetzt und Mitglied in" in html  # a structural hint, no meeting needed
    none = web.get("/konflikte?from=2024-07-27&to=2024-07-28&severity=warning").get_data(as_text=True)
    assert "Keine Konflikte im gewählten Zeitraum." in none


def test_unknown_person_or_gremium_is_a_friendly_404(web: Any) -> None:
    person = web.get("/konflikte?person=Int9")
    assert person.status_code == 404
    text = person.get_data(as_text=True)
    assert "Int9" in text and "<code>IntB</code>" in text and "<code>Int2</code>" in text
    gremium = web.get("/konflikte?gremium=kein-gremium")
    assert gremium.status_code == 404
    assert "<code>fachrunde-migrationssozialdienst</code>" in gremium.get_data(as_text=True)


def test_bad_dates_are_a_german_422(web: Any) -> None:
    response = web.get("/konflikte?from=2024-02-30")
    assert response.status_code == 422 and "JJJJ-MM-TT" in response.get_data(as_text=True)
    assert web.get("/konflikte?from=2024-02-01&to=2024-01-01").status_code == 422


def test_severity_filter_hides_hints(web: Any) -> None:
    html = web.get("/konflikte?from=2024-01-01&to=2024-12-31&severity=warning").get_data(as_text=True)
    assert '<option value="warning" selected>' in html
    assert "Unbesetzte Stelle" not in html.split("<tbody>")[1] and "Überschneidung" in html
