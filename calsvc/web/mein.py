"""``/mein`` — "Mein Kalender": my feed link, next dates, conflicts, absences and outside calendars.

Every logged-in user whose account belongs to a person sees that person here; admins may open
anyone's page with ``?person=CODE`` (and act for them). The feed link is shown once, in the
answer to the POST that made it, never stored or put into a URL of this site.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from calsvc.busy.sync import SyncLimits, store_upload, sync_source
from calsvc.config import conflict_settings
from calsvc.conflicts.entries import conflict_digest
from calsvc.db import get_session
from calsvc.editing.absences import KIND_LABELS as ABSENCE_LABELS
from calsvc.editing.absences import absence_values, absences_of, create_absence, delete_absence, update_absence
from calsvc.editing.accounts import may_manage
from calsvc.editing.audit import record
from calsvc.editing.feed_links import feed_url, issue_feed_token, webcal
from calsvc.editing.outside_calendars import add_outside_calendar, remove_outside_calendar
from calsvc.editing.versions import parse_version
from calsvc.errors import CalsvcError
from calsvc.models import Absence, BusySource, Person
from calsvc.schedule.engine import upcoming
from calsvc.schedule.walltime import BERLIN

from .auth import current_user, login_required
from .edit_forms import form_data
from .feeds import public_base_url
from .history import local_time

__all__ = ["bp"]

bp = Blueprint("mein", __name__)
UPCOMING_DAYS = 28
CONFLICT_DAYS = 92


def _person() -> Person | None:
    """Whose page: ``?person=`` (editors and admins, or one's own code), else the account's person."""
    user = current_user()
    assert user is not None
    code = request.values.get("person") or ""
    if code and (user.person is None or code != user.person.code):
        if user.role not in ("editor", "admin"):
            abort(403, description="Nur Bearbeitende und Admins können die Seite anderer Personen öffnen.")
        person = get_session().scalar(select(Person).where(Person.code == code))
        if person is None:
            abort(404, description=f"Eine Person mit dem Kürzel „{code}“ gibt es nicht.")
        return person
    return user.person


def _back(person: Person) -> Response:
    user = current_user()
    own = user is not None and user.person_id == person.id
    return redirect(url_for(".mein") if own else url_for(".mein", person=person.code))


def _page(person: Person | None, status: int = 200, **extra: Any) -> tuple[str, int]:
    session = get_session()
    context: dict[str, Any] = {
        "person": person,
        "errors": {},
        "values": {},
        "new_link": None,
        "editing": None,
        **extra,
    }
    if person is not None:
        now = datetime.now(BERLIN)
        found = upcoming(session, now, UPCOMING_DAYS, person=person.code)
        today = date.today()
        context |= {
            "upcoming": [o for o in found if not o.cancelled][:20],
            "digest": conflict_digest(
                session, today, today + timedelta(days=CONFLICT_DAYS), person=person.code, settings=conflict_settings()
            ),
            "absences": absences_of(session, person, since=today),
            "sources": list(session.scalars(select(BusySource).where(BusySource.person_id == person.id))),
            "upcoming_days": UPCOMING_DAYS,
            "conflict_days": CONFLICT_DAYS,
        }
    persons: list[Person] = []
    user = current_user()
    if user is not None and user.role in ("editor", "admin"):
        persons = list(session.scalars(select(Person).where(Person.is_external.is_(False)).order_by(Person.code)))
    context |= {"persons": persons, "absence_labels": ABSENCE_LABELS, "local_time": local_time}
    return render_template("mein.html", **context), status


@bp.get("/mein")
@login_required
def mein() -> Any:
    """My calendar: feed link, next dates, conflicts, absences, outside calendars."""
    return _page(_person())


def _managed() -> Person:
    person = _person()
    if person is None:
        abort(404, description="Ihr Konto gehört zu keiner Person. Bitte die Verwaltung von calsvc fragen.")
    if not may_manage(current_user(), person):
        abort(403, description="Das dürfen nur die Person selbst, Bearbeitende und Admins.")
    return person


def _actor() -> str:
    user = current_user()
    return user.name if user else "?"


def _commit_or_page(person: Person, work: Any, **page: Any) -> Any:
    """Run ``work``; on a refused input (422) answer with the page and the message at its field (422)."""
    session = get_session()
    try:
        result = work()
        session.commit()
    except CalsvcError as exc:
        session.rollback()
        if exc.http_status != 422:
            raise
        return None, _page(person, 422, errors={exc.field or "form": exc.message}, values=form_data(), **page)
    return result, None


@bp.post("/mein/link")
@login_required
def feed_link() -> Any:
    """Create or reset my feed link; the answer is the only place the address is ever shown."""
    person = _managed()
    user = current_user()
    if user is not None and user.person_id != person.id and user.role != "admin":
        abort(403, description="Den Kalender-Link anderer Personen erzeugen nur Admins.")
    reset = request.form.get("reset") == "1"
    token, failed = _commit_or_page(
        person, lambda: issue_feed_token(get_session(), person, reset=reset, actor=_actor())
    )
    if failed:
        return failed
    url = feed_url(public_base_url(), person.code, token)
    vorhaben = feed_url(public_base_url(), person.code, token, vorhaben=True)
    page, status = _page(person, new_link={"https": url, "webcal": webcal(url), "vorhaben": vorhaben})
    return page, status, {"Cache-Control": "no-store"}


@bp.post("/mein/abwesenheiten-im-kalender")
@login_required
def feed_absences() -> Any:
    """Opt in or out: my own feed also carries my absences."""
    person = _managed()
    before, person.feed_absences = person.feed_absences, request.form.get("feed_absences") == "1"
    if before != person.feed_absences:
        record(get_session(), _actor(), "person", person.id, "update",
               f"Abwesenheiten im Kalender-Abo von {person.code}: {'ja' if person.feed_absences else 'nein'}",
               {"feed_absences": [before, person.feed_absences]})  # fmt: skip
    get_session().commit()
    flash("Abwesenheiten " + ("erscheinen jetzt" if person.feed_absences else "erscheinen nicht mehr")
          + " im eigenen Kalender-Abo.", "info")  # fmt: skip
    return _back(person)


@bp.post("/mein/abwesenheiten")
@login_required
def add_absence() -> Any:
    """Enter an absence (Urlaub, Dienstreise, Fortbildung, krank)."""
    person = _managed()
    _, failed = _commit_or_page(person, lambda: create_absence(get_session(), _actor(), person, form_data()))
    if failed:
        return failed
    flash("Abwesenheit eingetragen.", "info")
    return _back(person)


Owned = TypeVar("Owned", Absence, BusySource)


def _own(model: type[Owned], object_id: int, person: Person, missing: str) -> Owned:
    """``person``'s row ``object_id`` of ``model``; anyone else's is a 404, as if it did not exist."""
    found = get_session().get(model, object_id)
    if found is None or found.person_id != person.id:
        abort(404, description=missing)
    return found


def _own_absence(person: Person, absence_id: int) -> Absence:
    return _own(Absence, absence_id, person, "Diese Abwesenheit gibt es nicht (mehr).")


@bp.get("/mein/abwesenheiten/<int:absence_id>")
@login_required
def edit_absence(absence_id: int) -> Any:
    """One of my absences in the form, to change it."""
    person = _managed()
    absence = _own_absence(person, absence_id)
    return _page(person, values=absence_values(absence), editing=absence)


@bp.post("/mein/abwesenheiten/<int:absence_id>")
@login_required
def change_absence(absence_id: int) -> Any:
    """Save the changed absence (the form names the version it was based on: no lost updates)."""
    person = _managed()
    absence = _own_absence(person, absence_id)
    data = form_data()
    change = {k: data.get(k, "") for k in absence_values(absence)}  # every field of the form: one left empty is empty
    _, failed = _commit_or_page(
        person,
        lambda: update_absence(get_session(), _actor(), absence, change, parse_version(data.get("version"))),
        editing=absence,
    )
    if failed:
        return failed
    flash("Abwesenheit geändert.", "info")
    return _back(person)


@bp.post("/mein/abwesenheiten/<int:absence_id>/loeschen")
@login_required
def remove_absence(absence_id: int) -> Any:
    """Delete one of my absences."""
    person = _managed()
    delete_absence(get_session(), _actor(), _own_absence(person, absence_id).id)
    get_session().commit()
    flash("Abwesenheit gelöscht.", "info")
    return _back(person)


@bp.post("/mein/kalender")
@login_required
def add_calendar() -> Any:
    """Register an outside calendar by address (fetched at once) or by uploading an .ics file."""
    person = _managed()
    upload = request.files.get("file")
    data = upload.read(SyncLimits.from_config(current_app.config).max_bytes + 1) if upload and upload.filename else None
    label = request.form.get("label", "")
    url = None if data is not None else request.form.get("url", "")
    source, failed = _commit_or_page(person, lambda: add_outside_calendar(get_session(), _actor(), person, label, url))
    if failed:
        return failed
    _sync(source, data)
    return _back(person)


def _sync(source: BusySource, data: bytes | None) -> None:
    """Fetch (or read the upload) now and tell the person how it went."""
    limits = SyncLimits.from_config(current_app.config)
    session = get_session()
    result = store_upload(session, source, data, limits) if data is not None else sync_source(session, source, limits)
    session.commit()
    flash(("Abgeglichen: " if result.ok else "Abgleich fehlgeschlagen: ") + result.message,
          "info" if result.ok else "error")  # fmt: skip


def _own_source(person: Person, source_id: int) -> BusySource:
    return _own(BusySource, source_id, person, "Diesen Kalender gibt es nicht.")


@bp.post("/mein/kalender/<int:source_id>/abgleichen")
@login_required
def sync_calendar(source_id: int) -> Any:
    """„Jetzt abgleichen“: fetch one outside calendar now."""
    person = _managed()
    _sync(_own_source(person, source_id), None)
    return _back(person)


@bp.post("/mein/kalender/<int:source_id>/loeschen")
@login_required
def remove_calendar(source_id: int) -> Any:
    """Remove an outside calendar with its busy times."""
    person = _managed()
    remove_outside_calendar(get_session(), _actor(), _own_source(person, source_id).id)
    get_session().commit()
    flash("Kalender entfernt.", "info")
    return _back(person)
