"""A person's secret feed link: issued or reset here, for the CLI and for "Mein Kalender" alike.

The token is random (:func:`calsvc.admin.secrets.new_token`) and only its hash is stored, so the
full address can be shown once, right after it was made; resetting makes the old one useless.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from calsvc.admin.secrets import hash_token, new_token
from calsvc.errors import ValidationError
from calsvc.models import Person

from .audit import record

__all__ = ["LinkExists", "feed_url", "issue_feed_token", "webcal"]


class LinkExists(ValidationError):
    """The person has a link already; it cannot be shown again, only replaced (``reset``)."""

    code = "feed_link_exists"


def issue_feed_token(session: Session, person: Person, *, reset: bool, actor: str) -> str:
    """A new secret token for ``person``'s feed (returned once); ``reset`` replaces an existing one."""
    if person.feed_token_hash and not reset:
        raise LinkExists(
            f"{person.code} hat schon einen geheimen Link. Er wird nur einmal angezeigt; "
            "zurücksetzen erzeugt einen neuen und macht den alten ungültig.",
            field="reset",
        )
    action = "reset" if person.feed_token_hash else "create"
    token = new_token()
    person.feed_token_hash = hash_token(token)
    session.flush()
    what = "zurückgesetzt" if action == "reset" else "erzeugt"
    record(session, actor, "person", person.id, f"feed_link_{action}", f"Kalender-Link von {person.code} {what}")
    return token


def feed_url(base_url: str, code: str, token: str, *, vorhaben: bool = False) -> str:
    """The https address of a person's meeting feed (or Vorhaben feed) with its token."""
    prefix = "vorhaben/" if vorhaben else ""
    return f"{base_url.rstrip('/')}/feeds/{prefix}person/{code}.ics?token={token}"


def webcal(url: str) -> str:
    """``https://host/x.ics`` → ``webcal://host/x.ics`` (opens the calendar app)."""
    return "webcal://" + url.split("://", 1)[1]
