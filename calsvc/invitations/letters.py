"""The e-mail around one iTIP object, as RFC 6047 and Outlook want it.

multipart/mixed
  multipart/alternative
    text/plain; charset=utf-8                        what a person reads (German)
    text/calendar; charset=UTF-8; method=REQUEST     what the calendar program acts on
  application/ics; name=invite.ics                   the same object as a file to open

RFC 6047 2.4: the Content-Type's ``method`` parameter MUST equal the object's METHOD; Outlook
treats the message as a meeting request only when the text/calendar part is an alternative of
the body (not just an attachment) and carries that parameter. From is the organizer (RFC 6047
3: the sender of a REQUEST/CANCEL is the ORGANIZER).
"""

from __future__ import annotations

from datetime import datetime
from email import message_from_string
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP, default
from email.utils import format_datetime, make_msgid

from calsvc.errors import ValidationError

from .recipients import Recipient
from .settings import MailSettings

__all__ = ["address", "build_letter", "calendar_of"]


def address(name: str, email: str, field: str) -> Address:
    """A mailbox for a header, or a clear error naming ``field`` (a bad address is refused, not mangled)."""
    try:
        username, domain = email.strip().rsplit("@", 1)
        return Address(display_name=" ".join(name.split()), username=username, domain=domain)
    except (ValueError, IndexError) as exc:
        raise ValidationError(f"„{email}“ ist keine gültige E-Mail-Adresse.", field=field) from exc


def build_letter(
    settings: MailSettings,
    recipient: Recipient,
    *,
    method: str,
    calendar: bytes,
    subject: str,
    text: str,
    now: datetime,
) -> EmailMessage:
    """One message to one recipient carrying ``calendar`` (METHOD ``method``) inline and attached."""
    message = EmailMessage(policy=SMTP)
    message["From"] = address(settings.organizer_name, settings.organizer_email, "CALSVC_ORGANIZER_EMAIL")
    message["To"] = address(recipient.name, recipient.email, "email")
    message["Subject"] = " ".join(subject.split())
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain=settings.uid_host)
    message.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(
        calendar.decode("utf-8"), subtype="calendar", charset="UTF-8", cte="base64", params={"method": method}
    )
    message.make_mixed()
    message.add_attachment(calendar, maintype="application", subtype="ics", filename="invite.ics")
    return message


def calendar_of(message_text: str) -> bytes:
    """The text/calendar part of a stored message (what was sent), as bytes."""
    message = message_from_string(message_text, policy=default)
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            content = part.get_content()
            return content.encode("utf-8") if isinstance(content, str) else bytes(content)
    raise ValueError("no text/calendar part")
