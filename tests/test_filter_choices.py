"""The person/Gremium filter of the agenda and conflict pages at a national size: a text field
instead of thousands of options, typed values that filter, and a 404 that stays short."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask

from calsvc.web.filter_choices import CLOSE_MATCHES, SELECT_MAX

from .scale_support import add_persons_and_gremien, filler_code, filler_slug

DIENSTBERATUNG = "dienstberatung-integration"
PAGES = ("/agenda/2024/05", "/agenda/2024/05/liste", "/konflikte?von=2024-04-01&bis=2024-06-30")


@pytest.fixture
def national(demo_app: Flask) -> Flask:
    """The demo office plus filler persons and Gremien: one more of each than a ``<select>`` carries."""
    add_persons_and_gremien(demo_app, persons=SELECT_MAX + 1, gremien=SELECT_MAX + 1)
    return demo_app


def keys(page: str) -> set[str]:
    """The occurrences shown on an agenda page."""
    return set(re.findall(r'data-key="([^"]+)"', page))


@pytest.mark.parametrize("path", PAGES)
def test_many_choices_give_labelled_text_fields_not_thousands_of_options(national: Flask, path: str) -> None:
    page = national.test_client().get(path).get_data(as_text=True)
    for field, hint in (("person", "Kürzel eingeben, z. B. "), ("gremium", "Kurzname (Slug) des Gremiums, z. B. ")):
        field_id = re.search(rf'<input type="text" id="([\w-]+)" name="{field}" value=""', page)
        assert field_id, f"no text field for {field}"
        assert re.search(rf'<label for="{field_id.group(1)}">{field.capitalize()}</label>', page)
        assert f'aria-describedby="{field_id.group(1)}-hinweis"' in page and hint in page
        assert f'<select id="{field_id.group(1)}"' not in page
    assert page.count("<option") <= 3  # only the severity choices of /konflikte are left
    assert filler_code(SELECT_MAX) not in page and filler_slug(SELECT_MAX) not in page


def test_up_to_the_limit_the_select_stays(demo_app: Flask) -> None:
    add_persons_and_gremien(demo_app, persons=SELECT_MAX, gremien=SELECT_MAX)
    page = demo_app.test_client().get("/agenda/2024/05?person=IntB").get_data(as_text=True)
    assert '<select id="f-person" name="person">' in page and '<select id="f-gremium" name="gremium">' in page
    assert page.count("<option") == 2 * SELECT_MAX + 2  # every value plus "alle …" twice
    assert '<option value="IntB" selected>IntB – ' in page


def test_a_typed_code_or_slug_filters_the_agenda(national: Flask) -> None:
    client = national.test_client()
    everything = keys(client.get("/agenda/2024/05").get_data(as_text=True))
    page = client.get("/agenda/2024/05?person=intb").get_data(as_text=True)  # spelled loosely, as people type
    assert 'name="person" value="IntB"' in page and "Termine und Vorhaben von <strong>IntB</strong>" in page
    assert keys(page) and keys(page) < everything
    page = client.get(f"/agenda/2024/05?gremium={DIENSTBERATUNG}").get_data(as_text=True)
    assert f'name="gremium" value="{DIENSTBERATUNG}"' in page and "Termine des Gremiums <strong>" in page
    assert keys(page) and keys(page) < everything
    assert "?person=IntB" in client.get("/agenda/?person=IntB").headers["Location"]


def test_a_typed_code_or_slug_filters_the_conflicts(national: Flask) -> None:
    client = national.test_client()
    page = client.get("/konflikte?von=2024-01-01&bis=2024-12-31&person=intb").get_data(as_text=True)
    assert 'name="person" value="IntB"' in page and "person=IntB" in page  # the JSON link keeps the filter
    page = client.get(f"/konflikte?von=2024-01-01&bis=2024-12-31&gremium={DIENSTBERATUNG}").get_data(as_text=True)
    assert f'name="gremium" value="{DIENSTBERATUNG}"' in page and f"gremium={DIENSTBERATUNG}" in page


@pytest.mark.parametrize(
    ("path", "field", "typed", "similar"),
    [
        ("/agenda/2024/05?person=", "person", "N0123X", filler_code(123)),
        ("/konflikte?person=", "person", "IntX", "IntB"),
        ("/agenda/2024/05/liste?gremium=", "gremium", "n0123-rund", filler_slug(123)),
        ("/konflikte?gremium=", "gremium", "dienstberatung", DIENSTBERATUNG),
    ],
)
def test_an_unknown_value_gets_a_short_404_with_similar_values_and_the_full_lists(
    national: Flask, path: str, field: str, typed: str, similar: str
) -> None:
    client = national.test_client()
    answer = client.get(path + typed)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 404 and f"{field.capitalize()} „{typed}“ gibt es nicht." in page
    assert "Ähnliche Werte:" in page and f"<code>{similar}</code>" in page
    assert 0 < page.count("<li><code>") <= CLOSE_MATCHES
    full = "/uebersicht#stellen" if field == "person" else "/uebersicht#gremien"
    assert f'href="{full}"' in page and f'href="/api/v1/{"persons" if field == "person" else "gremien"}"' in page
    error: dict[str, Any] = client.get(path + typed, headers={"Accept": "application/json"}).get_json()["error"]
    assert error["field"] == field and similar in [c["value"] for c in error["choices"]]
    assert len(error["choices"]) <= CLOSE_MATCHES and len(error["more"]) == 2


def test_a_value_like_nothing_says_so_and_links_the_full_lists(national: Flask) -> None:
    answer = national.test_client().get("/agenda/2024/05?gremium=%25%25%25")  # LIKE wildcards are literal
    page = answer.get_data(as_text=True)
    assert answer.status_code == 404 and "Keine ähnlichen Werte gefunden." in page and "<li><code>" not in page
    assert 'href="/uebersicht#gremien"' in page


def test_an_office_404_still_lists_every_value(demo_app: Flask) -> None:
    page = demo_app.test_client().get("/konflikte?person=Int9").get_data(as_text=True)
    assert "Mögliche Werte:" in page and "<code>IntB</code>" in page and "Ähnliche Werte" not in page


@pytest.mark.parametrize(
    ("path", "similar"),
    [("/feeds/gremium/n0123-rund.ics", filler_slug(123)), ("/feeds/person/N0123X.ics", filler_code(123))],
)
def test_a_mistyped_feed_address_gets_the_same_short_404(national: Flask, path: str, similar: str) -> None:
    answer = national.test_client().get(path)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 404 and "gibt es nicht." in page and f"<code>{similar}</code>" in page
    assert 0 < page.count("<li><code>") <= CLOSE_MATCHES and 'href="/uebersicht#' in page
