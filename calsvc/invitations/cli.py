"""``calsvc send-outbox``: deliver waiting invitations (cron-friendly; a no-op without CALSVC_SMTP_URL)."""

from __future__ import annotations

import click
from flask import current_app
from sqlalchemy import func, select

from calsvc.models import OutboxMessage

from .delivery import deliver_pending
from .settings import mail_settings

__all__ = ["send_outbox_command"]


@click.command("send-outbox")
@click.option("--retry-failed", is_flag=True, help="Also send the messages whose delivery failed before.")
def send_outbox_command(retry_failed: bool) -> None:
    """Send the outbox's waiting messages over CALSVC_SMTP_URL; exit 1 when any delivery fails."""
    settings = mail_settings()
    # A plain session, not session_scope: deliver_pending commits the outcome itself.
    with current_app.extensions["calsvc.sessionmaker"]() as session:
        waiting = select(OutboxMessage.id).where(
            OutboxMessage.status.in_(("pending", "failed") if retry_failed else ("pending",))
        )
        ids = list(session.scalars(waiting.order_by(OutboxMessage.id)))
        if settings.smtp is None:
            click.echo(
                f"Kein Mailserver eingerichtet (CALSVC_SMTP_URL): {len(ids)} Nachricht(en) bleiben im Postausgang."
            )
            return
        report = deliver_pending(session, settings, ids)
        left = session.scalar(select(func.count()).where(OutboxMessage.status != "sent")) or 0
    click.echo(f"{report.sent} versandt, {report.failed} fehlgeschlagen, {left} noch im Postausgang.")
    if report.failed:
        raise SystemExit(1)
