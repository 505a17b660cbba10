"""Hand outbox rows to the SMTP server; each outcome is written back to its row.

Rows are committed before delivery starts, so a crash or a refused connection loses nothing:
the row stays ``pending`` or becomes ``failed`` with the error, and can be sent again.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from calsvc.models import OutboxMessage, utcnow

from .settings import MailSettings, SmtpTarget

__all__ = ["DeliveryReport", "deliver", "deliver_pending"]

BATCH = 200  # rows per call: bounded work per request


class DeliveryReport:
    """How many rows one delivery run sent and how many failed."""

    def __init__(self) -> None:
        self.sent = 0
        self.failed = 0


def deliver(rows: Sequence[OutboxMessage], target: SmtpTarget, sender: str) -> DeliveryReport:
    """Send ``rows`` over one connection; marks each ``sent`` or ``failed`` (the caller commits)."""
    report = DeliveryReport()
    if not rows:
        return report
    try:
        client = _connect(target)
    except (OSError, smtplib.SMTPException) as exc:
        for row in rows:
            row.attempts += 1
            _failed(row, f"Verbindung zu {target.host}:{target.port} fehlgeschlagen: {_reason(exc)}")
        report.failed = len(rows)
        return report
    try:
        for row in rows:
            row.attempts += 1
            try:
                refused = client.sendmail(sender, [row.recipient], row.message.encode("utf-8"))
            except (OSError, smtplib.SMTPException) as exc:
                _failed(row, _reason(exc))
                report.failed += 1
                continue
            if refused:
                _failed(row, f"Empfänger abgelehnt: {refused}")
                report.failed += 1
                continue
            row.status, row.sent_at, row.last_error = "sent", utcnow(), ""
            report.sent += 1
    finally:
        try:
            client.quit()
        except (OSError, smtplib.SMTPException):
            client.close()
    return report


def deliver_pending(session: Session, settings: MailSettings, ids: Sequence[int] | None = None) -> DeliveryReport:
    """Send waiting rows (or just ``ids``, failed ones included: a retry) when SMTP is configured; commits."""
    if settings.smtp is None:
        return DeliveryReport()
    query = select(OutboxMessage).order_by(OutboxMessage.id).limit(BATCH)
    if ids is None:
        query = query.where(OutboxMessage.status == "pending")
    else:
        query = query.where(OutboxMessage.id.in_(ids), OutboxMessage.status != "sent")
    rows = list(session.scalars(query))
    report = deliver(rows, settings.smtp, settings.organizer_email)
    session.commit()
    return report


def _connect(target: SmtpTarget) -> smtplib.SMTP:
    if target.tls:
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            target.host, target.port, timeout=target.timeout, context=ssl.create_default_context()
        )
    else:
        client = smtplib.SMTP(target.host, target.port, timeout=target.timeout)
        if target.starttls:
            client.starttls(context=ssl.create_default_context())
    if target.user:
        client.login(target.user, target.password or "")
    return client


def _failed(row: OutboxMessage, reason: str) -> None:
    row.status, row.last_error = "failed", reason[:2000]


def _reason(exc: BaseException) -> str:
    """The server's answer or the network error, without anything from the settings (no password)."""
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"SMTP {exc.smtp_code}: {text}"
    return f"{type(exc).__name__}: {exc}"
