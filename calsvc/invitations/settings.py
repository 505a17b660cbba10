"""The organizer mailbox and the SMTP server, read from the app's settings in one place.

``CALSVC_SMTP_URL``: ``smtp://host[:port]`` (plain, port 25), ``smtp://host:587?starttls=1``
(STARTTLS), ``smtps://host[:port]`` (TLS from the start, port 465), each with an optional
``user:password@`` (percent-encoded). Unset: messages stay in the outbox.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app

from calsvc.errors import ValidationError

__all__ = ["MailSettings", "SmtpTarget", "mail_settings", "parse_smtp_url"]

_EXTENSION = "calsvc.mail_settings"


@dataclass(frozen=True, slots=True)
class SmtpTarget:
    """Where and how to deliver; ``password`` is never shown or logged."""

    host: str
    port: int
    tls: bool = False
    starttls: bool = False
    user: str | None = None
    password: str | None = None
    timeout: float = 30.0

    def __repr__(self) -> str:
        mode = "smtps" if self.tls else "smtp+starttls" if self.starttls else "smtp"
        return f"SmtpTarget({mode}://{self.host}:{self.port}, user={self.user!r})"


@dataclass(frozen=True, slots=True)
class MailSettings:
    """Everything sending needs besides the data: who invites, where UIDs and links point, the server."""

    organizer_email: str
    organizer_name: str
    uid_host: str
    base_url: str
    smtp: SmtpTarget | None = None

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> MailSettings:
        """Read ``CALSVC_ORGANIZER_EMAIL``/``_NAME``, ``CALSVC_SMTP_URL`` and the feed UID host."""
        raw = config.get("CALSVC_SMTP_URL") or None
        return cls(
            organizer_email=str(config["CALSVC_ORGANIZER_EMAIL"]).strip(),
            organizer_name=str(config["CALSVC_ORGANIZER_NAME"]).strip(),
            uid_host=str(config["CALSVC_UID_HOST"]),
            base_url=str(config.get("CALSVC_PUBLIC_BASE_URL") or "http://127.0.0.1:8000").rstrip("/"),
            smtp=parse_smtp_url(str(raw)) if raw else None,
        )


def parse_smtp_url(url: str) -> SmtpTarget:
    """``smtp://`` / ``smtps://`` URL → :class:`SmtpTarget`; a clear error naming the setting otherwise."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValidationError(
            "CALSVC_SMTP_URL muss smtp://host[:port] oder smtps://host[:port] sein.", field="CALSVC_SMTP_URL"
        )
    try:
        port = parts.port
    except ValueError as exc:
        raise ValidationError(f"CALSVC_SMTP_URL: ungültiger Port ({exc}).", field="CALSVC_SMTP_URL") from None
    query = parse_qs(parts.query)
    unknown = set(query) - {"starttls", "timeout"}
    if unknown:
        raise ValidationError(
            f"CALSVC_SMTP_URL: unbekannte Angabe {', '.join(sorted(unknown))}.", field="CALSVC_SMTP_URL"
        )
    starttls = query.get("starttls", ["0"])[-1].lower() in ("1", "true", "yes", "ja")
    tls = parts.scheme == "smtps"
    if tls and starttls:
        raise ValidationError("CALSVC_SMTP_URL: smtps:// und starttls schließen sich aus.", field="CALSVC_SMTP_URL")
    timeout = float(query.get("timeout", ["30"])[-1])
    if not 0 < timeout <= 300:
        raise ValidationError(
            "CALSVC_SMTP_URL: timeout muss zwischen 0 und 300 Sekunden liegen.", field="CALSVC_SMTP_URL"
        )
    return SmtpTarget(
        host=parts.hostname,
        port=port or (465 if tls else 587 if starttls else 25),
        tls=tls,
        starttls=starttls,
        user=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        timeout=timeout,
    )


def mail_settings() -> MailSettings:
    """The current app's mail settings (read once per app)."""
    settings: MailSettings | None = current_app.extensions.get(_EXTENSION)
    if settings is None:
        settings = MailSettings.from_config(current_app.config)
        current_app.extensions[_EXTENSION] = settings
    return settings
