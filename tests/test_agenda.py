"""The monthly agenda over HTTP: grid, list view, filters, 404s, subscribe links, demo May 2024."""

from __future__ import annotations

import html
import re
from datetime import datetime

import pytest
from flask import Flask

from calsvc.db import session_scope
from calsvc.models import Gremium, MeetingSeries, Membership, Person, SeriesException
from calsvc.schedule.rrule import normalize_rrule
from calsvc.schedule.walltime import BERLIN

DB_START = datetime(2024, 1, 9, 10)


def cell(page: str, day: str) -> str:
    """The inner HTML of the grid cell (or list section) ``tag-<day>``."""
    found = re.search(rf'<(td|section) id="tag-{day}"[^>]*>(.*?)</\1>', page, re.S)
    assert found, f"no cell for {day}"
    return found.group(2)


def text(fragment: str) -> str:
    """Visible text of an HTML fragment with whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def hrefs(page: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="([^"]+)"', page)]


@pytest.fixture
def office(app: Flask) -> Flask:
    """Two posts, the Dienstberatung (IntB lead; one moved, one cancelled) and a Fachrunde without IntB."""
    with app.app_context(), session_scope(app) as s:
        intb = Person(code="IntB", title="Integrationsbeauftragte")
        int1 = Person(code="Int1", title="Referentin")
        dienst = Gremium(slug="dienstberatung-integration", name="Dienstberatung Integration")
        dienst.memberships += [Membership(person=intb, role="lead"), Membership(person=int1, role="member")]
        runde = Gremium(slug="fachrunde", name="Fachrunde")
        runde.memberships.append(Membership(person=int1, role="lead"))
        series = MeetingSeries(
            gremium=dienst,
            title="Dienstberatung Integration",
            dtstart=DB_START,
            duration_minutes=90,
            rrule=normalize_rrule("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", DB_START),
            location="Rathaus Hellersdorf, Raum 2.14",
            is_example=True,
        )
        series.exceptions += [
            SeriesException(recurrence_id=datetime(2024, 5, 14, 10), new_start=datetime(2024, 5, 15, 9)),
            SeriesException(recurrence_id=datetime(2024, 5, 28, 10), cancelled=True),
        ]
        single = MeetingSeries(gremium=runde, title="Fachrunde", dtstart=datetime(2024, 5, 22, 13), duration_minutes=60)
        s.add_all([series, single])
    return app


def test_month_grid_places_meetings_holidays_and_weekdays(office: Flask) -> None:
    page = office.test_client().get("/agenda/2024/05").get_data(as_text=True)
    assert "<h1>Monatsagenda Mai 2024</h1>" in page and "<caption>" in page
    headers = re.findall(r'<th scope="col" abbr="\w+">(\w+)</th>', page)
    assert headers == ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]
    assert "10:00–11:30 Dienstberatung Integration" in text(cell(page, "2024-04-30"))
    assert "Pfingstmontag" in cell(page, "2024-05-20")
    assert 'id="tag-2024-05-20" class="day holiday"' in page
    assert 'class="day outside weekend' in page and 'id="tag-2024-06-02"' in page
    assert "Fachrunde" in cell(page, "2024-05-22") and "Leitung: Int1" in text(cell(page, "2024-05-22"))


def test_moved_and_cancelled_occurrences_are_marked(office: Flask) -> None:
    page = office.test_client().get("/agenda/2024/05").get_data(as_text=True)
    moved = text(cell(page, "2024-05-15"))
    assert "09:00–10:30 Dienstberatung Integration verlegt Beispiel" in moved and "Leitung: IntB" in moved
    assert "Ursprünglich Di, 14.05.2024, 10:00" in moved
    ghost = cell(page, "2024-05-14")
    assert "is-ghost" in ghost and "<s " in ghost and "verlegt auf 15.05.2024" in text(ghost)
    cancelled = cell(page, "2024-05-28")
    assert "<del" in cancelled and "fällt aus" in cancelled and "is-cancelled" in cancelled
    assert "Teilnehmende: IntB, Int1" in cancelled  # tooltip and details name the participants


def test_person_and_gremium_filters(office: Flask) -> None:
    client = office.test_client()
    page = client.get("/agenda/2024/05?person=Int1").get_data(as_text=True)
    assert "Fachrunde" in page and 'value="Int1" selected' in page
    page = client.get("/agenda/2024/05?person=intb").get_data(as_text=True)  # codes are case-insensitive
    assert "Fachrunde" not in cell(page, "2024-05-22") and "is-lead" in cell(page, "2024-05-15")
    page = client.get("/agenda/2024/05?gremium=fachrunde").get_data(as_text=True)
    assert "Dienstberatung Integration" not in cell(page, "2024-05-15")
    assert client.get("/agenda/2024/05?person=&gremium=").status_code == 200  # the form's "alle"


def test_filters_are_kept_in_every_link(office: Flask) -> None:
    page = (
        office.test_client()
        .get("/agenda/2024/05?person=intb&gremium=dienstberatung-integration")
        .get_data(as_text=True)
    )
    links = hrefs(page)
    query = "?person=IntB&gremium=dienstberatung-integration"
    for path in ("/agenda/2024/04", "/agenda/2024/06", "/agenda/2024/05/liste"):
        assert path + query in links
    today = datetime.now(BERLIN)
    assert f"/agenda/{today:%Y/%m}{query}#tag-{today:%Y-%m-%d}" in links  # "Heute" jumps to the day
    assert '<form class="filters no-print" method="get" action="/agenda/2024/05">' in page
    assert '<button type="submit">Anzeigen</button>' in page
    year_end = hrefs(office.test_client().get("/agenda/2024/12?person=IntB").get_data(as_text=True))
    assert "/agenda/2025/01?person=IntB" in year_end and "/agenda/2024/11?person=IntB" in year_end


def test_impossible_months_are_friendly_404s(office: Flask) -> None:
    client = office.test_client()
    for path in ("/agenda/2024/13", "/agenda/2024/0", "/agenda/1989/05", "/agenda/2101/01", "/agenda/2024/13/liste"):
        answer = client.get(path)
        assert answer.status_code == 404, path
        body = answer.get_data(as_text=True)
        assert "gibt es im Kalender nicht" in body and "<code>05</code> – Mai" in body
    assert client.get("/agenda/2024/5").status_code == 200  # one digit is fine, links use two
    last = client.get("/agenda/2100/12").get_data(as_text=True)
    assert 'rel="next"' not in last and "/agenda/2100/11" in last  # no link into a 404
    assert 'rel="prev"' not in client.get("/agenda/1990/01").get_data(as_text=True)


def test_unknown_person_or_gremium_lists_valid_choices(office: Flask) -> None:
    client = office.test_client()
    answer = client.get("/agenda/2024/05?person=Int9")
    body = answer.get_data(as_text=True)
    assert answer.status_code == 404 and "Person „Int9“ gibt es nicht." in body
    assert "<code>IntB</code> – Integrationsbeauftragte" in body
    answer = client.get("/agenda/2024/05?gremium=kaffeerunde")
    body = answer.get_data(as_text=True)
    assert answer.status_code == 404 and "<code>fachrunde</code> – Fachrunde" in body
    assert client.get("/agenda/?person=Int9").status_code == 404


def test_start_page_and_agenda_root_show_this_month(office: Flask) -> None:
    client = office.test_client()
    today = datetime.now(BERLIN).date()
    page = client.get("/").get_data(as_text=True)
    assert f'id="tag-{today:%Y-%m-%d}" class="day' in page
    assert re.search(rf'id="tag-{today:%Y-%m-%d}"[^>]*aria-current="date"', page)
    answer = client.get("/agenda/?person=IntB")
    assert answer.status_code == 302 and answer.headers["Location"] == f"/agenda/{today:%Y/%m}?person=IntB"
    assert 'href="/uebersicht"' in page


def test_list_view_shows_the_days_with_meetings(office: Flask) -> None:
    page = office.test_client().get("/agenda/2024/05/liste?person=IntB").get_data(as_text=True)
    day = text(cell(page, "2024-05-15"))
    assert day.startswith("Mittwoch, 15.05.2024") and "verlegt vom Di, 14.05.2024, 10:00" in day
    assert "Pfingstmontag" in text(cell(page, "2024-05-20"))
    assert 'id="tag-2024-05-02"' not in page  # empty days are left out
    assert "/agenda/2024/05?person=IntB" in hrefs(page)  # back to the grid


def test_subscribe_box_offers_the_filters_feed(office: Flask) -> None:
    client = office.test_client()
    page = client.get("/agenda/2024/05").get_data(as_text=True)
    assert 'href="webcal://localhost/feeds/all.ics"' in page and 'href="http://localhost/feeds/all.ics"' in page
    page = client.get("/agenda/2024/05?gremium=fachrunde").get_data(as_text=True)
    assert 'href="webcal://localhost/feeds/gremium/fachrunde.ics"' in page
    page = client.get("/agenda/2024/05?person=IntB").get_data(as_text=True)
    assert "feeds/person" not in page and 'href="http://localhost/feeds/#persoenlich"' in page
    assert "nur über einen geheimen Link erreichbar" in page
    office.config["CALSVC_PUBLIC_BASE_URL"] = "https://kalender.example.org/calsvc/"
    page = client.get("/agenda/2024/05").get_data(as_text=True)
    assert 'href="webcal://kalender.example.org/calsvc/feeds/all.ics"' in page
    assert 'href="https://kalender.example.org/calsvc/feeds/all.ics"' in page


def test_print_stylesheet_is_a4_landscape_without_navigation(office: Flask) -> None:
    page = office.test_client().get("/agenda/2024/05").get_data(as_text=True)
    assert "/static/agenda.css" in page
    with office.test_client().get("/static/agenda.css") as answer:
        css = answer.get_data(as_text=True)
    assert "@page { size: A4 landscape; margin: 8mm; }" in css and "@media print" in css


def test_demo_may_2024_for_intb(demo_app: Flask) -> None:
    page = demo_app.test_client().get("/agenda/2024/05?person=IntB").get_data(as_text=True)
    for day in ("2024-05-14", "2024-05-28"):
        assert "10:00–11:30 Dienstberatung Integration" in text(cell(page, day))
    assert "Pfingstmontag" in cell(page, "2024-05-20")
    band = text(page.split('id="vorhaben"', 1)[1].split("</section>", 1)[0])
    assert "II. Quartal" in band
    assert "Beispiel" in cell(page, "2024-05-14")


def test_demo_laf_jour_fixe_moved_from_9_to_16_may(demo_app: Flask) -> None:
    page = demo_app.test_client().get("/agenda/2024/05").get_data(as_text=True)
    moved = text(cell(page, "2024-05-16"))
    assert "14:00–16:00 LAF-Jour fixe verlegt" in moved and "Blumberger Damm" in moved
    assert "LAF-Jour fixe verlegt auf 16.05.2024" in text(cell(page, "2024-05-09"))
    assert "Christi Himmelfahrt" in cell(page, "2024-05-09")


def test_demo_day_precise_activity_sits_on_its_day(demo_app: Flask) -> None:
    page = demo_app.test_client().get("/agenda/2024/03?person=IntB").get_data(as_text=True)
    infotag = text(cell(page, "2024-03-18"))
    assert "ganztägig" in infotag and "Infoveranstaltung „Neue Zuwanderung aus Vietnam“" in infotag
    band = text(page.split('id="vorhaben"', 1)[1].split("</section>", 1)[0])
    assert "Infoveranstaltung" not in band and "im I. Quartal 2024" in band
    assert "März/April 2024 Anfertigung eines Beitrags" in band


def test_demo_band_is_honest_about_vague_and_unsettled_dates(demo_app: Flask) -> None:
    page = demo_app.test_client().get("/agenda/2024/09").get_data(as_text=True)
    band = text(page.split('id="vorhaben"', 1)[1].split("</section>", 1)[0])
    assert "III. und IV. Quartal 2024 Überarbeitung und Neuauflage" in band and "in Klärung" in band
    assert "Plan: „ganzjährig (insbes. I. Quartal 2024)“" in band  # the plan's own words beside the label


def test_demo_side_lists_ongoing_tasks_and_unscheduled_activities(demo_app: Flask) -> None:
    client = demo_app.test_client()
    aside = text(client.get("/agenda/2024/05?person=IntB").get_data(as_text=True).split("<aside", 1)[1])
    assert "Noch zu klären 15. gemeinsame Sitzung des Beirates PartInt und Frauenbeirates" in aside
    assert "Dienstberatungen Integration" in aside.split("Daueraufgaben", 1)[1]
    later = text(client.get("/agenda/2026/02?person=Int1").get_data(as_text=True).split("<aside", 1)[1])
    # the demo carries the plan over: February 2026 shows the 2026 plan's tasks (issue 17)
    assert "Dienstberatungen Integration" in later.split("Daueraufgaben", 1)[1]
    assert "(Arbeitsplan 2024)" not in later and "15. gemeinsame" not in later
    vacant = client.get("/agenda/2024/05?person=Int2").get_data(as_text=True)
    assert "Stelle unbesetzt" in vacant


def test_demo_conflicts_of_the_checker_show_on_their_meetings(demo_app: Flask) -> None:
    page = demo_app.test_client().get("/agenda/2024/05?person=IntB").get_data(as_text=True)
    beirat = cell(page, "2024-05-01")
    assert "has-conflict" in beirat and "Konflikt: Feiertag" in text(beirat) and "Erster Mai" in beirat
    clash = text(cell(page, "2024-05-28"))
    assert "Konflikt: Überschneidung" in clash and "Konflikt: Leitung fehlt" in clash
    assert 'href="#tag-2024-05-28">28.05.2024</a>: IntB ist doppelt gebucht' in page


def test_demo_vacancy_hints_do_not_drown_the_conflicts(demo_app: Flask) -> None:
    page = demo_app.test_client().get("/agenda/2024/05").get_data(as_text=True)
    assert "has-conflict" not in cell(page, "2024-05-14")  # Int2 invited while vacant: only a hint
    assert "Int2 soll" in text(cell(page, "2024-05-14"))  # ... readable in the details
    assert re.search(r"<summary>Hinweise \(\d+\)</summary>", page) and "has-conflict" in cell(page, "2024-05-28")
