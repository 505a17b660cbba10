"""Fetching an outside calendar: http(s) only, a size cap, a deadline, redirects only to http(s).

A published Outlook/Exchange calendar is an https address (``…/calendar.ics``). Whatever the
server does — answer slowly, send gigabytes, redirect to ``file://`` — costs at most
``max_bytes`` and about ``timeout`` seconds, and ends in a :class:`FetchError` with a German
message for the calendar's owner.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from http.client import HTTPMessage
from typing import IO, Any
from urllib.parse import urlsplit

from calsvc.errors import CalsvcError

__all__ = ["SCHEMES", "FetchError", "check_address", "fetch_calendar"]

SCHEMES = ("http", "https")
MAX_REDIRECTS = 3
_CHUNK = 64 * 1024
_REDIRECT = f"Der Server leitet auf eine nicht erlaubte Adresse um (nur http/https, höchstens {MAX_REDIRECTS}-mal)."


class FetchError(CalsvcError):
    """The calendar could not be fetched; ``message`` says why, for its owner."""

    code = "fetch_failed"
    http_status = 422


def check_address(url: str) -> str:
    """``url`` stripped, if it is an http(s) address with a host (``webcal://`` is read as https)."""
    url = url.strip()
    if url.lower().startswith("webcal://"):
        url = "https://" + url[len("webcal://") :]
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES or not parts.hostname:
        raise FetchError("Die Adresse muss mit https:// (oder http://) beginnen.", field="url")
    if len(url) > 2000:
        raise FetchError("Die Adresse ist länger als 2000 Zeichen.", field="url")
    return url


class _SafeRedirects(urllib.request.HTTPRedirectHandler):
    """Follow at most :data:`MAX_REDIRECTS` redirects, and only to http(s) addresses."""

    max_redirections = MAX_REDIRECTS

    def redirect_request(
        self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str, headers: HTTPMessage, newurl: str
    ) -> urllib.request.Request | None:
        """Refuse a redirect that leaves http(s) (``file://``, ``ftp://``, …)."""
        if urlsplit(newurl).scheme.lower() not in SCHEMES:
            raise FetchError(_REDIRECT, field="url")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.OpenerDirector()
for _handler in (
    urllib.request.ProxyHandler(),
    urllib.request.HTTPHandler(),
    urllib.request.HTTPSHandler(),
    urllib.request.HTTPDefaultErrorHandler(),
    urllib.request.HTTPErrorProcessor(),
    _SafeRedirects(),
):
    _OPENER.add_handler(_handler)


def fetch_calendar(url: str, *, max_bytes: int, timeout: float) -> bytes:
    """The body at ``url``: at most ``max_bytes``, within about ``timeout`` seconds, else FetchError."""
    url = check_address(url)
    request = urllib.request.Request(url, headers={"User-Agent": "calsvc-busy/1", "Accept": "text/calendar"})
    deadline = time.monotonic() + timeout
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return _read_bounded(response, max_bytes, deadline)
    except FetchError:
        raise
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400:  # urllib itself refuses redirects to file:// and the like
            raise FetchError(_REDIRECT, field="url") from None
        raise FetchError(f"Der Server antwortet mit Fehler {exc.code} ({exc.reason}).", field="url") from None
    except TimeoutError:
        raise FetchError(f"Keine Antwort innerhalb von {timeout:g} Sekunden.", field="url") from None
    except urllib.error.URLError as exc:
        raise FetchError(f"Der Server ist nicht erreichbar ({_reason(exc.reason)}).", field="url") from None
    except (OSError, ValueError) as exc:
        raise FetchError(f"Abruf fehlgeschlagen ({_reason(exc)}).", field="url") from None


def _read_bounded(response: Any, max_bytes: int, deadline: float) -> bytes:
    """Read the body in chunks, stopping at the size cap or the deadline."""
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"Die Kalenderdatei ist größer als {max_bytes // 1024} KB.", field="url")
    parts: list[bytes] = []
    size = 0
    read = getattr(response, "read1", response.read)  # read1: one receive, so the deadline is checked often
    while chunk := read(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"Die Kalenderdatei ist größer als {max_bytes // 1024} KB.", field="url")
        if time.monotonic() > deadline:
            raise FetchError("Die Kalenderdatei kam nicht rechtzeitig vollständig an.", field="url")
        parts.append(chunk)
    return b"".join(parts)


def _reason(reason: object) -> str:
    text = str(reason) or type(reason).__name__
    return text[:200]
