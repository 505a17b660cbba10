"""JSON for invitations: send the invitation of a series, read the outbox (editors' tokens only)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import jsonify
from sqlalchemy import select

from calsvc.db import get_session
from calsvc.editing.series import require_series
from calsvc.invitations.delivery import deliver_pending
from calsvc.invitations.service import invite
from calsvc.invitations.settings import mail_settings
from calsvc.models import OutboxMessage

from . import bp
from .openapi import ERRORS, json_response, operation, path
from .write_support import transaction, writer

__all__: list[str] = []

SID = path("id", "integer", arg="series_id")
LISTED = 200


def message_json(row: OutboxMessage) -> dict[str, Any]:
    """One outbox row without its body (download the .eml on the site)."""
    return {
        "id": row.id,
        "created_at": row.created_at.isoformat() + "Z",
        "series_id": row.series_id,
        "uid": row.uid,
        "recurrence_id": row.recurrence_id,
        "method": row.method,
        "sequence": row.sequence,
        "recipient": row.recipient,
        "subject": row.subject,
        "status": row.status,
        "attempts": row.attempts,
        "last_error": row.last_error,
        "sent_at": row.sent_at.isoformat() + "Z" if row.sent_at else None,
    }


@bp.post("/series/<int:series_id>/invitations")
@operation(
    "Einladung senden: iTIP REQUEST/CANCEL per E-Mail an alle Teilnehmenden mit E-Mail-Adresse (idempotent)",
    {"200": json_response("Neu in den Postausgang gelegte (und ggf. versandte) Nachrichten", {"type": "object"})}
    | {k: ERRORS[k] for k in ("401", "403", "404", "422")},
    params=(SID,),
    bearer=True,
)
def send_invitations_api(series_id: int) -> Any:
    """Queue what the participants do not have yet; deliver it when CALSVC_SMTP_URL is set."""
    user = writer()
    settings = mail_settings()
    with transaction() as session:
        rows = invite(session, user.name, require_series(session, series_id), settings, datetime.now(UTC))
    report = deliver_pending(session, settings, [r.id for r in rows]) if rows else None
    return jsonify(
        {
            "queued": len(rows),
            "sent": report.sent if report else 0,
            "failed": report.failed if report else 0,
            "smtp": settings.smtp is not None,
            "messages": [message_json(r) for r in rows],
        }
    )


@bp.get("/outbox")
@operation(
    "Postausgang: die neuesten Einladungen und Absagen mit ihrem Versandstand",
    {"200": json_response("OK", {"type": "object"}), "401": ERRORS["401"], "403": ERRORS["403"]},
    bearer=True,
)
def outbox_api() -> Any:
    """The newest outbox rows, newest first (they hold e-mail addresses: editors only)."""
    writer()
    rows = get_session().scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(LISTED))
    return jsonify({"messages": [message_json(r) for r in rows]})
