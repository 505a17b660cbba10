"""Issuing a report ("Bericht abschließen"): freeze its files as sent, with a hash of their content.

Once issued, the report's pages and downloads return exactly these bytes, however the plan
changes later; :func:`changes_since` tells what has been edited in that plan year since.
The files are rendered without a logged-in user or form tokens, so nothing personal or
per-session is frozen into them.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, date, datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from calsvc.editing import audit
from calsvc.errors import EditConflict
from calsvc.models import IssuedReport, IssuedReportFile, PlanImport, utcnow
from calsvc.schedule.walltime import BERLIN

from .builder import build_quarter_report, stand_moment
from .changes import ChangeSentence, change_sentences, plan_entries
from .quarter import Quarter

__all__ = ["ISSUED_FORMATS", "find_issued", "issue_report", "later_changes", "report_hash"]

ISSUED_FORMATS = ("html", "pdf", "docx", "csv")


def report_hash(files: dict[str, tuple[str, bytes]]) -> str:
    """SHA-256 over every file: format, name and content, in format order."""
    digest = hashlib.sha256()
    for fmt in sorted(files):
        name, content = files[fmt]
        digest.update(f"{fmt}\0{name}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()


def find_issued(session: Session, q: Quarter) -> IssuedReport | None:
    """The issued version of quarter ``q``'s report, if there is one."""
    return session.scalar(
        select(IssuedReport).where(IssuedReport.plan_year == q.year, IssuedReport.quarter == q.number)
    )


def issue_report(session: Session, actor: str, q: Quarter, *, today: date | None = None) -> IssuedReport:
    """Render the report in every format, store the files and their hash; once per quarter (409 after)."""
    from . import FORMATS

    if find_issued(session, q) is not None:
        raise EditConflict(f"Der Bericht {q.label} ist bereits abgeschlossen.", field="quarter")
    now = utcnow()
    report = build_quarter_report(session, q.year, q.number, today=today)
    report = replace(report, issued_at=_berlin(now), issued_by=actor)
    files: dict[str, tuple[str, bytes]] = {}
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    # a fresh app and request context: anonymous, no form tokens, nothing of the issuer's session
    with app.app_context(), app.test_request_context(f"/bericht/{q.year}/Q{q.number}"):
        for fmt in ISSUED_FORMATS:
            spec = FORMATS[fmt]
            files[fmt] = (f"{report.filename_stem}.{spec.suffix}", spec.render(report))
    issued = IssuedReport(
        plan_year=q.year,
        quarter=q.number,
        as_of=stand_moment(report.as_of),
        issued_at=now,
        issued_by=actor,
        sha256=report_hash(files),
    )
    issued.files = [
        IssuedReportFile(format=fmt, filename=name, content=content, sha256=hashlib.sha256(content).hexdigest())
        for fmt, (name, content) in files.items()
    ]
    session.add(issued)
    session.flush()
    audit.record(
        session,
        actor,
        "issued_report",
        issued.id,
        "issue",
        f"Bericht {q.label} abgeschlossen (SHA-256 {issued.sha256[:12]}…)",
        {"sha256": [None, issued.sha256]},
    )
    return issued


def _berlin(utc_naive: datetime) -> datetime:
    return utc_naive.replace(tzinfo=UTC).astimezone(BERLIN)


def later_changes(session: Session, plan_year: int, since: datetime) -> list[ChangeSentence]:
    """Edits of plan year ``plan_year`` after ``since`` (naive UTC), as German sentences, oldest first.

    Plan re-imports of that year are named too (they write no per-field audit).
    """
    found = [s for s in change_sentences(session, plan_entries(session, since)) if s.plan_year == plan_year]
    imports = session.scalars(
        select(PlanImport)
        .where(PlanImport.plan_year == plan_year, PlanImport.imported_at > since)
        .order_by(PlanImport.imported_at)
    )
    for row in imports:
        text = f"Arbeitsplan {plan_year} neu eingelesen aus {row.source}"
        found.append(ChangeSentence(_berlin(row.imported_at), "", plan_year, text))
    return sorted(found, key=lambda s: s.at)
