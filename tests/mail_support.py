"""A real SMTP server for the tests (aiosmtpd on 127.0.0.1), and readers for what it received."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from typing import Any

from aiosmtpd.controller import Controller

__all__ = ["Inbox", "calendar_parts", "free_port", "smtp_server"]


@dataclass
class Inbox:
    """Messages the server accepted: (envelope sender, recipients, parsed message)."""

    port: int
    received: list[tuple[str, list[str], EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=default)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), message))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def smtp_server(port: int | None = None) -> Iterator[Inbox]:
    """A running aiosmtpd server collecting every message; stopped afterwards."""
    inbox = Inbox(port or free_port())
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


def calendar_parts(message: EmailMessage) -> tuple[EmailMessage, EmailMessage, EmailMessage]:
    """(text/plain, inline text/calendar, invite.ics attachment) of an invitation, checking the layout."""
    assert message.get_content_type() == "multipart/mixed"
    alternative, attachment = message.get_payload()  # type: ignore[misc]
    assert alternative.get_content_type() == "multipart/alternative"
    text, calendar = alternative.get_payload()
    assert text.get_content_type() == "text/plain" and calendar.get_content_type() == "text/calendar"
    assert attachment.get_content_type() == "application/ics" and attachment.get_filename() == "invite.ics"
    return text, calendar, attachment
