"""The quarterly report pages: ``/bericht/<yyyy>/Q<n>`` and its PDF, CSV and DOCX downloads."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for

from calsvc.db import current_data_version, get_session
from calsvc.errors import ValidationError
from calsvc.models import IssuedReport
from calsvc.report import FORMATS, Quarter, build_quarter_report
from calsvc.report.builder import stand_moment
from calsvc.report.issue import find_issued, issue_report, later_changes
from calsvc.report.pdf import render_html
from calsvc.schedule.walltime import BERLIN

from .auth import current_user, editor_required
from .errors import abort_not_found

__all__ = ["bp"]

bp = Blueprint("bericht", __name__, url_prefix="/bericht")

DOWNLOAD_FORMATS = ("pdf", "csv", "docx")
CACHED_FORMATS = ("pdf", "docx")  # seconds of rendering each; CSV is cheap
CACHE_SIZE = 16


class RenderCache:
    """The last few rendered documents, keyed by data version, day, quarter and format (LRU)."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._items: OrderedDict[tuple[Any, ...], tuple[bytes, str]] = OrderedDict()
        self._gates: dict[tuple[Any, ...], threading.Lock] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> tuple[bytes, str] | None:
        """The cached (content, file name), freshly used; None when not cached."""
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple[Any, ...], value: tuple[bytes, str]) -> None:
        """Keep ``value``; the least recently used entry goes when the cache is full."""
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        """Forget everything (tests start each database at version 0)."""
        with self._lock:
            self._items.clear()

    @contextmanager
    def one_at_a_time(self, key: tuple[Any, ...]) -> Iterator[None]:
        """Render each document once per process: threads asking for the same one wait for it."""
        with self._lock:
            gate = self._gates.setdefault(key, threading.Lock())
        with gate:
            yield
        with self._lock:
            if not gate.locked():
                self._gates.pop(key, None)


RENDERED = RenderCache()


def _quarter(year: int, number: int) -> Quarter:
    """The requested quarter, or a friendly 404 listing the quarters that exist."""
    try:
        return Quarter(year, number)
    except ValidationError as exc:
        valid_year = year if exc.field != "year" else _today().year
        choices = [(f"/bericht/{valid_year}/Q{n}", Quarter(valid_year, n).label) for n in range(1, 5)]
        abort_not_found(f"Diesen Bericht gibt es nicht: {exc.message}", choices)
        raise  # abort_not_found always raises; this keeps type checkers content


def _today() -> date:
    return datetime.now(BERLIN).date()


@bp.get("/")
def index() -> Any:
    """The report of the current quarter."""
    current = Quarter.containing(_today())
    return redirect(url_for("bericht.quarter", year=current.year, number=current.number))


@bp.get("/<int:year>/Q<int:number>")
def quarter(year: int, number: int) -> Any:
    """The Abarbeitungsstand of plan year ``year`` at the end of quarter ``number`` (German page).

    An issued report answers with its HTML exactly as issued; ``?fassung=aktuell`` rebuilds it.
    """
    q = _quarter(year, number)
    session = get_session()
    issued = find_issued(session, q)
    if issued is not None and request.args.get("fassung") != "aktuell":
        return _issued_file(issued, "html", attachment=False)
    return render_html(build_quarter_report(session, q.year, q.number), issued=issued)


@bp.post("/<int:year>/Q<int:number>/abschliessen")
@editor_required
def issue(year: int, number: int) -> Any:
    """ "Bericht abschließen": freeze the files as they are now (once per quarter)."""
    q = _quarter(year, number)
    session = get_session()
    user = current_user()
    try:
        issued = issue_report(session, user.name if user else "?", q)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    flash(f"Bericht {q.label} abgeschlossen. Prüfsumme (SHA-256): {issued.sha256}", "info")
    return redirect(url_for("bericht.quarter", year=q.year, number=q.number))


@bp.get("/<int:year>/Q<int:number>/aenderungen")
def changes(year: int, number: int) -> Any:
    """What has changed in the plan year since the report was issued (or since its Stand date)."""
    q = _quarter(year, number)
    session = get_session()
    issued = find_issued(session, q)
    since = issued.issued_at if issued else stand_moment(min(_today(), q.last_day))
    found = later_changes(session, q.year, since)
    shown_since = issued.issued_at if issued else None
    return render_template(
        "bericht_aenderungen.html", q=q, issued=issued, changes=found, since=shown_since, stand=q.last_day
    )


def _issued_file(issued: IssuedReport, fmt: str, *, attachment: bool) -> Response:
    """One stored file of an issued report, byte for byte, with its hash as ETag."""
    stored = next(f for f in issued.files if f.format == fmt)
    spec = FORMATS[fmt]
    headers = {"ETag": f'"{stored.sha256}"', "Cache-Control": "no-cache", "X-Content-SHA256": stored.sha256}
    if attachment:
        headers["Content-Disposition"] = f'attachment; filename="{stored.filename}"'
    return Response(stored.content, mimetype=spec.mimetype.split(";")[0], content_type=spec.mimetype, headers=headers)


@bp.get("/<int:year>/Q<int:number>.<fmt>")
def download(year: int, number: int, fmt: str) -> Any:
    """The same report as a PDF, CSV or DOCX download named ``abarbeitungsstand-2024-Q2.<fmt>``."""
    q = _quarter(year, number)
    if fmt not in DOWNLOAD_FORMATS:
        choices = [(f"/bericht/{q.year}/Q{q.number}.{f}", FORMATS[f].mimetype) for f in DOWNLOAD_FORMATS]
        abort_not_found(f"Das Format „{fmt}“ gibt es nicht.", choices)
    issued = find_issued(get_session(), q)
    if issued is not None:
        return _issued_file(issued, fmt, attachment=True)
    spec = FORMATS[fmt]
    content, filename = _rendered(q, fmt)
    return Response(
        content,
        mimetype=spec.mimetype.split(";")[0],
        content_type=spec.mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-cache"},
    )


def _rendered(q: Quarter, fmt: str) -> tuple[bytes, str]:
    """The document's bytes and file name; PDF and DOCX come from the cache while nothing changed."""
    session = get_session()
    # The URL tells databases apart (versions start at 0 in each); the report says "Stand: today".
    key = (
        str(current_app.extensions["calsvc.engine"].url),
        current_data_version(session),
        _today(),
        q.year,
        q.number,
        fmt,
    )
    spec = FORMATS[fmt]
    if fmt not in CACHED_FORMATS:
        report = build_quarter_report(session, q.year, q.number)
        return spec.render(report), f"{report.filename_stem}.{spec.suffix}"
    with RENDERED.one_at_a_time(key):  # a second request for the same document waits for the first
        if (found := RENDERED.get(key)) is not None:
            return found
        report = build_quarter_report(session, q.year, q.number)
        rendered = (spec.render(report), f"{report.filename_stem}.{spec.suffix}")
        RENDERED.put(key, rendered)
        return rendered
