"""Feed endpoints and the subscribe page (DESIGN: /feeds/, /feeds/*.ics).

Meeting feeds: ``/feeds/all.ics``, ``/feeds/gremium/<slug>.ics``, ``/feeds/person/<code>.ics``.
Planning items (Vorhaben) under the same names below ``/feeds/vorhaben/``: ``all.ics`` and
``person/<code>.ics``. Person feeds are private: reachable only with the secret token of that
person's link (one token for both of a person's feeds).
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request
from sqlalchemy import func, select
from werkzeug.exceptions import Forbidden

from calsvc.admin.secrets import token_matches
from calsvc.db import get_session
from calsvc.models import Gremium, Membership, Person
from calsvc.publishing.content import FeedContent
from calsvc.publishing.service import FeedRequest, FeedState, Scope, etag_for, feed_keys, feed_state, render_feed

from .filter_choices import unknown

bp = Blueprint("feeds", __name__, url_prefix="/feeds")


def public_base_url() -> str:
    """How subscribers reach this server: configured, or as this request came in."""
    return (current_app.config.get("CALSVC_PUBLIC_BASE_URL") or request.host_url).rstrip("/")


def _feed_request(scope: Scope, key: str | None, content: FeedContent = "meetings") -> FeedRequest:
    # ``?fuzzy=none`` (leave planning items out) of older links needs nothing: meeting feeds carry none.
    return FeedRequest.configured(current_app.config, scope, key, content=content, base_url=public_base_url())


def feed_headers(feed: FeedRequest, etag: str) -> dict[str, str]:
    """Validators and caching rules of a feed answer (200 and 304; shared with the fast path)."""
    return {
        "ETag": etag,
        "Cache-Control": "private, max-age=300" if feed.scope == "person" else "public, max-age=300",
        "Content-Disposition": f'inline; filename="{feed.filename}"',
        "X-Robots-Tag": "noindex",
    }


def _serve(feed: FeedRequest, state: FeedState) -> Response:
    """200 with the calendar, or 304 when the client's copy is current (ETag first)."""
    session = get_session()
    now = datetime.now(UTC)
    etag = etag_for(feed, state, now)
    headers = feed_headers(feed, etag)
    if etag.strip('"') in request.if_none_match:
        return Response(status=304, headers=headers)
    rendered = render_feed(session, feed, now=now, state=state)
    headers["Last-Modified"] = http_date(rendered.last_modified)
    since = request.if_modified_since
    if not request.if_none_match and since is not None and rendered.last_modified <= since:
        return Response(status=304, headers=headers)
    body = b"" if request.method == "HEAD" else rendered.body
    response = Response(body, mimetype="text/calendar", headers=headers)
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    if request.method == "HEAD":
        response.headers["Content-Length"] = str(len(rendered.body))
    return response


def http_date(moment: datetime) -> str:
    """An RFC 9110 date for Last-Modified."""
    return format_datetime(moment.astimezone(UTC), usegmt=True)


@bp.route("/all.ics", methods=["GET", "HEAD"])
def office_feed() -> Response:
    """All meetings of the office (planning items: :func:`office_vorhaben_feed`)."""
    return _serve(_feed_request("all", None), feed_state(get_session()))


@bp.route("/vorhaben/all.ics", methods=["GET", "HEAD"])
def office_vorhaben_feed() -> Response:
    """The office's planning items (activities of the plan) as all-day spans."""
    return _serve(_feed_request("all", None, "vorhaben"), feed_state(get_session()))


@bp.route("/gremium/<slug>.ics", methods=["GET", "HEAD"])
def gremium_feed(slug: str) -> Response:
    """One Gremium's meetings (public unless configured otherwise)."""
    session = get_session()
    state = feed_state(session)
    if slug not in feed_keys(session, state).slugs:
        unknown(session, "gremium", slug, f"Einen Gremium-Kalender „{slug}“ gibt es nicht.")
    if not current_app.config["CALSVC_PUBLIC_GREMIUM_FEEDS"]:
        raise Forbidden("Gremium-Kalender sind auf diesem Server nicht öffentlich.")
    return _serve(_feed_request("gremium", slug), state)


@bp.route("/person/<code>.ics", methods=["GET", "HEAD"])
def person_feed(code: str) -> Response:
    """One person's meetings, only with the secret token of their link."""
    return _person_feed(code, "meetings")


@bp.route("/vorhaben/person/<code>.ics", methods=["GET", "HEAD"])
def person_vorhaben_feed(code: str) -> Response:
    """The planning items a person is responsible for, with the same secret token."""
    return _person_feed(code, "vorhaben")


def _person_feed(code: str, content: FeedContent) -> Response:
    session = get_session()
    state = feed_state(session)
    tokens = feed_keys(session, state).token_hashes  # cached per data version: no person query per poll
    if code not in tokens:
        unknown(session, "person", code, f"Eine Person mit dem Kürzel „{code}“ gibt es nicht.")
    if not token_matches(request.args.get("token"), tokens[code]):
        raise Forbidden(
            "Persönliche Kalender sind nur über ihren geheimen Link erreichbar. Der Link fehlt, ist falsch "
            "oder wurde zurückgesetzt – einen neuen Link gibt es nach der Anmeldung unter „Mein Kalender“ (/mein)."
        )
    return _serve(_feed_request("person", code, content), state)


@bp.get("/")
def subscribe() -> Any:
    """Every public feed with https and webcal links and how to subscribe in each client."""
    session = get_session()
    base = public_base_url()
    # Column rows and one count of members per Gremium: nationally ~3,000 Gremien, and a lazy
    # load of each one's memberships made this page ~3,000 queries.
    members = select(Membership.gremium_id, func.count().label("n")).group_by(Membership.gremium_id).subquery()
    gremien = session.execute(
        select(Gremium.slug, Gremium.name, func.coalesce(members.c.n, 0))
        .outerjoin(members, members.c.gremium_id == Gremium.id)
        .order_by(Gremium.position, Gremium.name)
    ).all()
    persons = session.execute(select(Person.code).where(Person.is_external.is_(False)).order_by(Person.code)).all()
    feeds = [
        ("Ganzes Integrationsbüro", "Alle Sitzungen und Termine", f"{base}/feeds/all.ics"),
        ("Vorhaben des Integrationsbüros", "Geplante Vorhaben des Arbeitsplans", f"{base}/feeds/vorhaben/all.ics"),
    ]
    if current_app.config["CALSVC_PUBLIC_GREMIUM_FEEDS"]:
        feeds += [(name, f"{n} Beteiligte", f"{base}/feeds/gremium/{slug}.ics") for slug, name, n in gremien]
    return render_template("feeds.html", feeds=feeds, persons=persons, webcal=_webcal, base=base)


def _webcal(url: str) -> str:
    """``https://host/x.ics`` → ``webcal://host/x.ics`` (opens the calendar app)."""
    return "webcal://" + url.split("://", 1)[1]
