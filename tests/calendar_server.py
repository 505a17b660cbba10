"""A real local HTTP server (http.server in a thread) serving outside calendars for the busy-time tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

__all__ = ["CALENDARS", "CalendarServer", "serve_calendars"]

CALENDARS = Path(__file__).resolve().parent / "busy_calendars"


@dataclass
class CalendarServer:
    """Routes: ``/<name>.ics`` from :data:`CALENDARS` or ``files``, plus the hostile ones below."""

    base: str
    files: dict[str, bytes] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        """The address of ``path`` on this server."""
        return f"{self.base}/{path.lstrip('/')}"


def _handler(server: CalendarServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # keep the test output clean
            pass

        def do_GET(self) -> None:
            server.hits.append(self.path)
            name = self.path.lstrip("/")
            if name == "langsam.ics":  # answers headers, then waits longer than the client's timeout
                self._start(200, {"Content-Type": "text/calendar"})
                time.sleep(3)
                self._body(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
            elif name == "riesig.ics":  # no Content-Length: only counting the bytes stops it
                self._start(200, {"Content-Type": "text/calendar"})
                self._body(b"BEGIN:VCALENDAR\r\n" + b"X-FUELL:" + b"x" * 70 + b"\r\n" * 1)
                for _ in range(2000):
                    try:
                        self.wfile.write(b"X-FUELL:" + b"x" * 1000 + b"\r\n")
                    except OSError:
                        return
            elif name == "umleitung-datei.ics":
                self._start(302, {"Location": "file:///etc/passwd"})
            elif name == "umleitung.ics":
                self._start(302, {"Location": server.url("outlook-published.ics")})
            elif name in server.files or (CALENDARS / name).is_file():
                data = server.files.get(name) or (CALENDARS / name).read_bytes()
                self._start(200, {"Content-Type": "text/calendar; charset=utf-8", "Content-Length": str(len(data))})
                self._body(data)
            else:
                self._start(404, {"Content-Length": "0"})

        def _start(self, status: int, headers: dict[str, str]) -> None:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()

        def _body(self, data: bytes) -> None:
            try:
                self.wfile.write(data)
                self.wfile.flush()
            except OSError:
                pass

    return Handler


@contextmanager
def serve_calendars() -> Iterator[CalendarServer]:
    """Start the server on a free local port; stop it afterwards."""
    state = CalendarServer(base="")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
