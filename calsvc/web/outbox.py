"""Invitations on the site: "Einladung senden" on a series, and the outbox (Postausgang) for editors.

Sending queues what the participants do not have yet (:mod:`calsvc.invitations.service`),
commits, and then delivers over SMTP when ``CALSVC_SMTP_URL`` is set; without it the messages
wait in the outbox, where editors read them and download each as an .eml file.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from sqlalchemy import func, select

from calsvc.db import get_session
from calsvc.editing.series import require_series
from calsvc.errors import CalsvcError
from calsvc.invitations.delivery import deliver_pending
from calsvc.invitations.service import invite
from calsvc.invitations.settings import mail_settings
from calsvc.models import OutboxMessage

from .auth import current_user, editor_required
from .errors import abort_not_found
from .history import local_time

__all__ = ["bp"]

bp = Blueprint("outbox", __name__, url_prefix="/bearbeiten")
SHOWN = 200


@bp.post("/serien/<int:series_id>/einladung")
@editor_required
def send_invitation(series_id: int) -> Any:
    """Einladung senden: queue what changed for each participant, then deliver if SMTP is set."""
    session = get_session()
    series = require_series(session, series_id)
    user = current_user()
    settings = mail_settings()
    try:
        rows = invite(session, user.name if user else "?", series, settings, datetime.now(UTC))
        session.commit()  # in the outbox before any delivery: nothing is lost
    except CalsvcError as exc:
        session.rollback()
        flash(f"Einladung nicht gesendet: {exc.message}", "error")
        return redirect(url_for("edit_series.edit", series_id=series_id, _anchor="einladung"))
    if not rows:
        flash("Nichts Neues zu senden: alle Teilnehmenden haben den aktuellen Stand.", "info")
    elif settings.smtp is None:
        flash(f"{len(rows)} Nachricht(en) liegen im Postausgang (kein Mailserver eingerichtet).", "info")
    else:
        report = deliver_pending(session, settings, [r.id for r in rows])
        flash(f"{report.sent} Nachricht(en) versandt, {report.failed} fehlgeschlagen (siehe Postausgang).", "info")
    return redirect(url_for("edit_series.edit", series_id=series_id, _anchor="einladung"))


@bp.get("/postausgang")
@editor_required
def listing() -> Any:
    """The newest messages with their state; each can be downloaded, failed ones sent again."""
    session = get_session()
    rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(SHOWN)).all()
    smtp = mail_settings().smtp is not None
    return render_template("edit/outbox.html", rows=rows, smtp=smtp, shown=SHOWN, local_time=local_time)


@bp.get("/postausgang/<int:message_id>.eml")
@editor_required
def download(message_id: int) -> Response:
    """One message as the .eml file a mail program opens (and Outlook imports as a meeting request)."""
    row = _require(message_id)
    return Response(
        row.message.encode("utf-8"),
        mimetype="message/rfc822",
        headers={"Content-Disposition": f'attachment; filename="einladung-{row.id}.eml"'},
    )


@bp.post("/postausgang/<int:message_id>/senden")
@editor_required
def retry(message_id: int) -> Any:
    """Send one waiting or failed message again (needs CALSVC_SMTP_URL)."""
    row = _require(message_id)
    settings = mail_settings()
    if settings.smtp is None:
        flash("Kein Mailserver eingerichtet (CALSVC_SMTP_URL): die Nachricht bleibt im Postausgang.", "error")
    elif row.status == "sent":
        flash(f"Nachricht {row.id} wurde schon versandt.", "info")
    else:
        report = deliver_pending(get_session(), settings, [row.id])
        flash("Versandt." if report.sent else f"Wieder fehlgeschlagen: {row.last_error}", "info")
    return redirect(url_for(".listing"))


@bp.app_context_processor
def _invitation_state() -> dict[str, Any]:
    """``invitation_state(series_id)`` for the series page: messages per state, and the newest one's time."""

    def state(series_id: int) -> dict[str, Any]:
        rows = get_session().execute(
            select(OutboxMessage.status, func.count(), func.max(OutboxMessage.created_at))
            .where(OutboxMessage.series_id == series_id)
            .group_by(OutboxMessage.status)
        )
        counts = {status: (count, newest) for status, count, newest in rows}
        newest = max((n for _c, n in counts.values()), default=None)
        return {
            "sent": counts.get("sent", (0, None))[0],
            "pending": counts.get("pending", (0, None))[0],
            "failed": counts.get("failed", (0, None))[0],
            "newest": local_time(newest) if newest else None,
        }

    return {"invitation_state": state}


def _require(message_id: int) -> OutboxMessage:
    row = get_session().get(OutboxMessage, message_id)
    if row is None:
        abort_not_found(f"Eine Nachricht {message_id} gibt es im Postausgang nicht.", [])
    assert row is not None
    return row
