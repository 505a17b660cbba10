"""Edit pages for persons/posts (vacancies) and Gremien with their members."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from calsvc.db import get_session
from calsvc.editing.gremien import LEVELS, create_gremium, delete_gremium, set_member, update_gremium
from calsvc.editing.persons import create_person, delete_person, update_person
from calsvc.editing.versions import parse_version
from calsvc.models import Gremium, Person
from calsvc.schedule.store import require_gremium, require_person

from .auth import current_user, editor_required
from .edit_forms import commit_or_render, form_data
from .history import history_rows

__all__ = ["bp"]

bp = Blueprint("edit_people", __name__, url_prefix="/bearbeiten")
TEMPLATE = "edit/object_form.html"


def _f(name: str, label: str, type: str = "text", **extra: Any) -> dict[str, Any]:
    return {"name": name, "label": label, "type": type, "required": False, "help": "", "attrs": "", **extra}


PERSON_SPEC = [
    _f("code", "Kürzel (z. B. Int1)", required=True),
    _f("title", "Bezeichnung der Stelle"),
    _f("name", "Name"),
    _f("email", "E-Mail", "email"),
    _f("is_external", "extern (nicht im Integrationsbüro)", "checkbox"),
    _f("vacant", "Stelle unbesetzt", "checkbox"),
    _f("vacant_from", "unbesetzt ab", "date"),
    _f("vacant_until", "unbesetzt bis", "date"),
    _f("notes", "Notizen", "textarea"),
]


def _actor() -> str:
    user = current_user()
    return user.name if user else "?"


def _person_values(p: Person) -> dict[str, Any]:
    values = {f["name"]: getattr(p, f["name"]) for f in PERSON_SPEC}
    for key in ("vacant_from", "vacant_until"):
        values[key] = values[key].isoformat() if values[key] else ""
    values.update({"name": p.name or "", "email": p.email or "", "version": str(p.version)})
    return values


def _person_data(values: dict[str, Any]) -> dict[str, Any]:
    return {f["name"]: values.get(f["name"], "") for f in PERSON_SPEC}


def _person_context(person: Person | None, values: dict[str, Any]) -> dict[str, Any]:
    history = history_rows("person", person.id) if person else []
    return {
        "obj": person,
        "values": values,
        "spec": PERSON_SPEC,
        "history": history,
        "heading": f"Person bearbeiten: {person.code}" if person else "Neue Person/Stelle",
        "action": url_for(".person", code=person.code) if person else url_for(".new_person"),
        "delete_action": url_for(".delete_person_page", code=person.code) if person else "",
    }


@bp.route("/personen/neu", methods=["GET", "POST"])
@editor_required
def new_person() -> Any:
    """Create a person/post."""
    if request.method == "GET":
        return render_template(TEMPLATE, errors={}, **_person_context(None, {}))
    values = form_data()
    person = commit_or_render(
        lambda: create_person(get_session(), _actor(), _person_data(values)), TEMPLATE, **_person_context(None, values)
    )
    flash(f"Person „{person.code}“ angelegt.", "info")
    return redirect(url_for(".person", code=person.code))


@bp.route("/personen/<code>", methods=["GET", "POST"])
@editor_required
def person(code: str) -> Any:
    """Show and change a person (vacancy dates included)."""
    session = get_session()
    found = require_person(session, code)
    if request.method == "GET":
        return render_template(TEMPLATE, errors={}, **_person_context(found, _person_values(found)))
    values = form_data()
    version = parse_version(values.get("version"))
    context = _person_context(found, values)
    result = commit_or_render(
        lambda: update_person(session, _actor(), found, _person_data(values), version), TEMPLATE, **context
    )
    flash("Änderungen gespeichert.", "info")
    return redirect(url_for(".person", code=result.code))


@bp.post("/personen/<code>/loeschen")
@editor_required
def delete_person_page(code: str) -> Any:
    """Delete a person with their memberships."""
    session = get_session()
    found = require_person(session, code)
    version = parse_version(request.form.get("version"))
    commit_or_render(
        lambda: delete_person(session, _actor(), found, version),
        TEMPLATE,
        **_person_context(found, _person_values(found)),
    )
    flash(f"Person „{code}“ gelöscht.", "info")
    return redirect(url_for("edit_overview.overview"))


def _gremium_spec() -> list[dict[str, Any]]:
    gremien = get_session().scalars(select(Gremium).order_by(Gremium.position, Gremium.name)).all()
    return [
        _f("name", "Name", required=True),
        _f("slug", "Kurzname (für Adressen; leer = aus dem Namen)"),
        _f("level", "Ebene", "select", choices=[(v, v) for v in LEVELS]),
        _f("parent", "Übergeordnetes Gremium", "select", choices=[("", "–"), *((g.slug, g.name) for g in gremien)]),
        _f("description", "Beschreibung", "textarea"),
    ]


def _gremium_values(g: Gremium) -> dict[str, Any]:
    return {
        "name": g.name,
        "slug": g.slug,
        "level": g.level,
        "parent": g.parent.slug if g.parent else "",
        "description": g.description,
        "version": str(g.version),
    }


def _gremium_data(values: dict[str, Any]) -> dict[str, Any]:
    return {k: values.get(k, "") for k in ("name", "slug", "level", "parent", "description")}


def _gremium_context(gremium: Gremium | None, values: dict[str, Any]) -> dict[str, Any]:
    session = get_session()
    context: dict[str, Any] = {
        "obj": gremium,
        "values": values,
        "spec": _gremium_spec(),
        "history": [],
        "heading": f"Gremium bearbeiten: {gremium.name}" if gremium else "Neues Gremium",
        "action": url_for(".gremium", slug=gremium.slug) if gremium else url_for(".new_gremium"),
        "delete_action": url_for(".delete_gremium_page", slug=gremium.slug) if gremium else "",
    }
    if gremium is not None:
        context["history"] = history_rows("gremium", gremium.id)
        context["members"] = list(gremium.memberships)
        context["persons"] = session.scalars(select(Person).order_by(Person.is_external, Person.code)).all()
    return context


@bp.route("/gremien/neu", methods=["GET", "POST"])
@editor_required
def new_gremium() -> Any:
    """Create a Gremium."""
    if request.method == "GET":
        return render_template(TEMPLATE, errors={}, **_gremium_context(None, {"level": LEVELS[0]}))
    values = form_data()
    gremium = commit_or_render(
        lambda: create_gremium(get_session(), _actor(), _gremium_data(values)),
        TEMPLATE,
        **_gremium_context(None, values),
    )
    flash(f"Gremium „{gremium.name}“ angelegt.", "info")
    return redirect(url_for(".gremium", slug=gremium.slug))


@bp.route("/gremien/<slug>", methods=["GET", "POST"])
@editor_required
def gremium(slug: str) -> Any:
    """Show and change a Gremium and its members."""
    session = get_session()
    found = require_gremium(session, slug)
    if request.method == "GET":
        return render_template(TEMPLATE, errors={}, **_gremium_context(found, _gremium_values(found)))
    values = form_data()
    version = parse_version(values.get("version"))
    context = _gremium_context(found, values)
    result = commit_or_render(
        lambda: update_gremium(session, _actor(), found, _gremium_data(values), version), TEMPLATE, **context
    )
    flash("Änderungen gespeichert.", "info")
    return redirect(url_for(".gremium", slug=result.slug))


@bp.post("/gremien/<slug>/loeschen")
@editor_required
def delete_gremium_page(slug: str) -> Any:
    """Delete a Gremium without meeting series."""
    session = get_session()
    found = require_gremium(session, slug)
    version = parse_version(request.form.get("version"))
    commit_or_render(
        lambda: delete_gremium(session, _actor(), found, version),
        TEMPLATE,
        field_map={"slug": "form"},
        **_gremium_context(found, _gremium_values(found)),
    )
    flash("Gremium gelöscht.", "info")
    return redirect(url_for("edit_overview.overview"))


@bp.post("/gremien/<slug>/mitglieder")
@editor_required
def add_member(slug: str) -> Any:
    """Add a member or change a role."""
    session = get_session()
    found = require_gremium(session, slug)
    values = form_data()
    version = parse_version(values.get("version"))
    commit_or_render(
        lambda: set_member(session, _actor(), found, values, version),
        TEMPLATE,
        **_gremium_context(found, _gremium_values(found)),
    )
    flash("Mitglieder gespeichert.", "info")
    return redirect(url_for(".gremium", slug=slug))


@bp.post("/gremien/<slug>/mitglieder/<code>/entfernen")
@editor_required
def remove_member(slug: str, code: str) -> Any:
    """Remove a member."""
    session = get_session()
    found = require_gremium(session, slug)
    version = parse_version(request.form.get("version"))
    commit_or_render(
        lambda: _remove_member_from(session, found, code, version),
        TEMPLATE,
        **_gremium_context(found, _gremium_values(found)),
    )
    flash(f"{code} entfernt.", "info")
    return redirect(url_for(".gremium", slug=slug))


def _remove_member_from(session: Any, gremium: Gremium, code: str, version: int) -> None:
    """The service call behind :func:`remove_member` (name clash with the view)."""
    from calsvc.editing.gremien import remove_member as remove

    remove(session, _actor(), gremium, code, version)
