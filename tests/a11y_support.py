"""Shared pieces of the accessibility browser tests: axe-core, logging in, the pages to check."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import select

from calsvc.db import session_scope
from calsvc.invitations.service import invite
from calsvc.invitations.settings import mail_settings
from calsvc.models import Absence, Activity, Gremium, MeetingSeries, OutboxMessage, Person

from .conftest import need
from .editing_support import PASSWORD

__all__ = [
    "ARTIFACTS",
    "WCAG_TAGS",
    "axe_violations",
    "duplicate_ids",
    "editor_paths",
    "log_in",
    "many_choices_paths",
    "public_paths",
    "shot",
    "sideways_overflow",
]

CHECKOUT = Path(__file__).resolve().parents[1]
AXE_JS = CHECKOUT / "tests" / "interop" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = CHECKOUT / "tests" / "artifacts"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def public_paths() -> list[str]:
    """Every public page of the issue, a 404 page included."""
    return [
        "/",
        "/agenda/2024/05",
        "/agenda/2024/05/liste",
        "/konflikte?von=2024-04-01&bis=2024-06-30",
        "/konflikte/freie-zeiten?personen=IntB,Int1&dauer=90&ab=2024-05-28",
        "/feeds/",
        "/uebersicht",
        "/bericht/2024/Q2",
        "/bericht/2024/Q2/aenderungen",
        "/gibt-es-nicht",
    ]


def many_choices_paths() -> list[str]:
    """Pages whose person/Gremium filter becomes a text field on a large database, and the short 404."""
    return [
        "/agenda/2024/05?person=IntB",
        "/agenda/2024/05/liste",
        "/konflikte?von=2024-04-01&bis=2024-06-30&gremium=dienstberatung-integration",
        "/konflikte?person=IntX",
    ]


def editor_paths(app: Flask) -> list[str]:
    """Every edit form of the demo data an editor works with (and the outbox, with invitations in it)."""
    with app.app_context(), session_scope(app) as s:
        _invite_once(s)
        series = s.scalars(
            select(MeetingSeries)
            .where(MeetingSeries.rrule.is_not(None), MeetingSeries.rrule != "")
            .order_by(MeetingSeries.id)
        ).first()
        assert series is not None
        person = s.scalars(select(Person).order_by(Person.id)).first()
        gremium = s.scalars(select(Gremium).order_by(Gremium.id)).first()
        activity = s.scalars(select(Activity).order_by(Activity.id)).first()
        assert person is not None and gremium is not None and activity is not None
        absence = _absence_of_intb(s)
        rid = series.dtstart.strftime("%Y-%m-%dT%H:%M")
        return [
            "/bearbeiten/",
            "/bearbeiten/serien/neu",
            f"/bearbeiten/serien/{series.id}",
            f"/bearbeiten/serien/{series.id}/termin/{rid}",
            f"/bearbeiten/serien/{series.id}/loeschen",
            "/bearbeiten/verlauf/",
            "/bearbeiten/personen/neu",
            f"/bearbeiten/personen/{person.code}",
            "/bearbeiten/gremien/neu",
            f"/bearbeiten/gremien/{gremium.slug}",
            "/bearbeiten/aktivitaeten/neu",
            f"/bearbeiten/aktivitaeten/{activity.id}",
            "/bericht/2024/Q3",  # as an editor: with the "Bericht abschließen" form
            "/bearbeiten/postausgang",
            "/bearbeiten/schliesstage",
            "/mein",
            "/mein?person=IntB",
            f"/mein/abwesenheiten/{absence}?person=IntB",  # the form changing an absence
            "/konflikte?von=2024-04-01&bis=2024-06-30&alle=1",
        ]


def _absence_of_intb(session: Any) -> int:
    """An absence of IntB ahead (the /mein list shows those to come), to open in the form."""
    intb = session.scalars(select(Person).where(Person.code == "IntB")).one()
    found = session.scalars(select(Absence).where(Absence.person_id == intb.id)).first()
    if found is None:
        ahead = date.today() + timedelta(days=30)
        found = Absence(person=intb, kind="fortbildung", start_day=ahead, end_day=ahead, note="Kurs")
        session.add(found)
        session.flush()
    return int(found.id)


def _invite_once(session: Any) -> None:
    """Give the demo's first series' people addresses and queue its invitation (no mail server: outbox)."""
    if session.scalars(select(OutboxMessage)).first() is not None:
        return
    series = session.scalars(select(MeetingSeries).order_by(MeetingSeries.id)).first()
    for person in series.participant_persons():
        person.email = person.email or f"{person.code.lower().replace(' ', '')}@bezirk.example"
    session.flush()
    invite(session, "erika", series, mail_settings(), datetime.now(UTC))


def log_in(page: Any, base: str, name: str = "erika", password: str = PASSWORD) -> None:
    """Log in through the German form, as a person would."""
    page.goto(f"{base}/anmelden?next=/bearbeiten/")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", password)
    page.click("form.edit-form button[type=submit]")
    page.wait_for_url(f"{base}/bearbeiten/")


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A/AA violations of the loaded page (the context needs ``bypass_csp=True``)."""
    need(AXE_JS.exists(), f"{AXE_JS} is missing (run `npm ci` in tests/interop)")
    page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(r => r.violations.map(v => ({id: v.id, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + n.failureSummary)})))",
        WCAG_TAGS,
    )
    return list(result)


def duplicate_ids(page: Any) -> list[str]:
    """Ids used more than once: a label's ``for`` then names the wrong field (axe 4.x no longer checks)."""
    return list(
        page.evaluate(
            "() => { const seen = {}; document.querySelectorAll('[id]').forEach(e => seen[e.id] = (seen[e.id] || 0) + 1);"
            " return Object.keys(seen).filter(k => seen[k] > 1); }"
        )
    )


def sideways_overflow(page: Any) -> int:
    """How many CSS pixels the page is wider than its viewport (0: no sideways scrolling)."""
    return int(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))


def shot(page: Any, name: str) -> None:
    """A full-page screenshot in tests/artifacts/ (git-ignored) for a human to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
