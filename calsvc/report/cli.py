"""``calsvc report 2024 Q2 --format pdf -o bericht.pdf``: the quarterly report as a file."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app

from calsvc.db import session_scope
from calsvc.errors import CalsvcError

from . import FORMATS, build_quarter_report, parse_quarter, render

__all__ = ["report_command"]


@click.command("report")
@click.argument("year")
@click.argument("quarter")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(FORMATS)),
    default=None,
    help="pdf, csv, docx oder html (Standard: aus der Endung von -o, sonst pdf).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="Zieldatei (Standard: abarbeitungsstand-<Jahr>-Q<n>.<Format> im aktuellen Ordner).",
)
@click.pass_context
def report_command(ctx: click.Context, year: str, quarter: str, fmt: str | None, output: Path | None) -> None:
    """Write the quarterly progress report (Abarbeitungsstand) of YEAR, QUARTER (Q1–Q4) to a file."""
    try:
        q = parse_quarter(year, quarter)
    except CalsvcError as exc:
        click.echo(f"Fehler: {exc.message}", err=True)
        ctx.exit(2)
    if fmt is None:
        suffix = output.suffix.lstrip(".").lower() if output else ""
        fmt = suffix if suffix in FORMATS else "pdf"
    with session_scope(current_app) as session:
        report = build_quarter_report(session, q.year, q.number)
        data = render(report, fmt)
    target = output or Path(f"{report.filename_stem}.{FORMATS[fmt].suffix}")
    target.write_bytes(data)
    overdue = len(report.overdue)
    click.echo(
        f"{report.title}: {len(report.activities)} Aktivitäten ({overdue} überfällig), "
        f"{report.meeting_totals['gesamt']} Gremiensitzungen."
    )
    click.echo(f"Gespeichert als {fmt.upper()}: {target} ({len(data):,} Bytes)".replace(",", "."))
