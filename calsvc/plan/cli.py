"""``calsvc import-plan FILE [--year] [--dry-run]`` (text or .docx), ``new-plan YEAR``, ``export-plan YEAR``."""

from __future__ import annotations

from pathlib import Path

import click
from sqlalchemy.exc import OperationalError, ProgrammingError

from calsvc.db import session_scope
from calsvc.errors import CalsvcError
from calsvc.models import Level

from .export import plan_export, plan_text
from .importer import CheckedPlan, PlanImportError, check_plan, import_plan
from .pdf import render_plan_pdf
from .word import MAX_DOCX_BYTES, docx_to_text, render_plan_docx
from .years import new_plan

__all__ = ["export_plan_command", "import_plan_command", "new_plan_command"]


def _echo_understood(checked: CheckedPlan) -> None:
    """One line per section, then the totals, so people can compare with the printed plan."""
    doc = checked.document
    land = sum(g.level == Level.UEBERBEZIRKLICH.value for g in doc.gremien)
    click.echo(f"Laufende Tätigkeiten: {len(doc.ongoing_tasks)} gelesen")
    click.echo(f"Gremien: {len(doc.gremien)} gelesen ({doc.lead_count} Leitungen, {land} überbezirklich)")
    click.echo(f"Aktivitäten: {len(doc.activities)} gelesen ({len(checked.terminierungen)} Terminierungen verstanden)")
    persons = []
    for p in doc.persons:
        marks = [m for m, on in (("unbesetzt", p.vacant), ("extern", p.external)) if on]
        persons.append(p.code + (f" {p.name}" if p.name else "") + (f" ({', '.join(marks)})" if marks else ""))
    click.echo(f"Personen: {len(doc.persons)} – {'; '.join(persons)}")
    click.echo(
        f"Verstanden: Planjahr {doc.year or '?'}, {len(doc.gremien)} Gremien, {doc.lead_count} Leitungen, "
        f"{len(doc.activities)} Aktivitäten, {len(doc.ongoing_tasks)} laufende Tätigkeiten, "
        f"{len(doc.persons)} Personen"
    )


def _plan_file_text(file: Path) -> str:
    """The plan's text: a .docx as Word wrote it (paragraphs, lists, tables), else UTF-8 text."""
    if file.suffix.lower() == ".docx":
        if file.stat().st_size > MAX_DOCX_BYTES:
            raise click.ClickException(f"{file} ist größer als {MAX_DOCX_BYTES // (1024 * 1024)} MB.")
        try:
            return docx_to_text(file.read_bytes())
        except CalsvcError as exc:
            raise click.ClickException(f"{file}: {exc.message}") from exc
    try:
        return file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{file} ist keine UTF-8-Textdatei ({exc.reason}).") from exc


@click.command("import-plan")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--year", type=int, default=None, help="Planjahr (Standard: aus dem Titel „… für 2024“).")
@click.option("--dry-run", is_flag=True, help="Nur prüfen und Unterschiede zeigen, nichts speichern.")
@click.pass_context
def import_plan_command(ctx: click.Context, file: Path, year: int | None, dry_run: bool) -> None:
    """Import the office's Arbeitsplan (text as published, or a Word .docx); exit 1 on unreadable lines."""
    text = _plan_file_text(file)
    checked = check_plan(text, year=year)
    _echo_understood(checked)
    if checked.problems:
        click.echo(f"Nicht gelesen: {len(checked.problems)} Zeile(n) – nichts wurde gespeichert.")
        for problem in checked.problems:
            click.echo(f"  {problem.format()}")
        ctx.exit(1)
    click.echo("Nicht gelesen: 0 Zeilen")
    for note in checked.document.notes:
        click.echo(f"Bereinigt: {note}")
    try:
        with session_scope() as session:
            report = import_plan(session, text, year=year, source=str(file), dry_run=dry_run)
    except PlanImportError as exc:  # pragma: no cover - check_plan above already found these
        click.echo(exc.format())
        ctx.exit(1)
    except (OperationalError, ProgrammingError) as exc:
        raise click.ClickException(f"Datenbank nicht bereit – zuerst „calsvc init-db“ ausführen ({exc.orig}).") from exc
    click.echo(report.format())


@click.command("new-plan")
@click.argument("year", type=int)
@click.option("--actor", default="calsvc new-plan", show_default=True, help="Name im Änderungsverlauf.")
def new_plan_command(year: int, actor: str) -> None:
    """Create the Arbeitsplan of YEAR from the previous one (unfinished activities, ongoing tasks)."""
    try:
        with session_scope() as session:
            result = new_plan(session, actor, year)
    except CalsvcError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(result.format())


_EXPORTS = ("docx", "pdf", "txt")


@click.command("export-plan")
@click.argument("year", type=int)
@click.option("--format", "fmt", type=click.Choice(_EXPORTS), default="docx", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Zieldatei (Standard: arbeitsplan-<Jahr>.<Format>).")  # fmt: skip
def export_plan_command(year: int, fmt: str, output: Path | None) -> None:
    """Write the Arbeitsplan of YEAR as DOCX, PDF or text, as the Bezirksamt's Vorlage needs it."""
    try:
        with session_scope() as session:
            plan = plan_export(session, year)
    except CalsvcError as exc:
        raise click.ClickException(exc.message) from exc
    if fmt == "docx":
        content = render_plan_docx(plan)
    elif fmt == "pdf":
        content = render_plan_pdf(plan)
    else:
        content = plan_text(plan).encode("utf-8")
    target = output or Path(f"{plan.filename_stem}.{fmt}")
    target.write_bytes(content)
    click.echo(
        f"Arbeitsplan {year} geschrieben: {target} ({len(plan.activities)} Aktivitäten, {len(plan.gremien)} Gremien)"
    )
