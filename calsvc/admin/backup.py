"""Portable JSON backups of every table: restore works on SQLite and PostgreSQL alike.

Rows are written table by table in dependency order with ISO dates (binary content, i.e. the
files of issued reports, as base64), so a backup taken on one
database restores on the other. A restore runs in one transaction: it lands whole or not at all;
rows of a table that points at itself (Gremium → parent) go in parents first, whatever their ids.
The file is readable by its owner only: it holds password and token hashes. Rate-limit counters
are not data and stay out of it.
"""

from __future__ import annotations

import base64
import json
import os
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import click
from flask import current_app
from sqlalchemy import Date, DateTime, LargeBinary, Time, delete, func, insert, select, text
from sqlalchemy.orm import Session

from calsvc.db import session_scope
from calsvc.errors import ValidationError
from calsvc.models import Base, DataVersion, RateLimit, utcnow
from calsvc.models.base import drop_nul

__all__ = ["FORMAT", "backup_command", "dump", "restore", "restore_command"]

FORMAT = "calsvc-backup"
FORMAT_VERSION = 1
TRANSIENT = frozenset({RateLimit.__tablename__})  # counters that only matter for minutes


def _tables() -> list[Any]:
    return [t for t in Base.metadata.sorted_tables if t.name not in TRANSIENT]


def dump(session: Session) -> dict[str, Any]:
    """Every row of every calsvc table as JSON-safe data."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for table in _tables():
        order = list(table.primary_key.columns)
        rows = session.execute(select(table).order_by(*order)).mappings()
        tables[table.name] = [{k: _to_json(v) for k, v in row.items()} for row in rows]
    return {"format": FORMAT, "version": FORMAT_VERSION, "created_at": utcnow().isoformat(), "tables": tables}


def restore(session: Session, data: dict[str, Any], *, replace: bool = False) -> dict[str, int]:
    """Load a backup into the (migrated) database; refuses a non-empty one unless ``replace``."""
    if data.get("format") != FORMAT or data.get("version") != FORMAT_VERSION:
        raise ValidationError("Keine calsvc-Sicherung (Format oder Version unbekannt).", field="format")
    tables = data.get("tables")
    if not isinstance(tables, dict):
        raise ValidationError("Die Sicherung enthält keine Tabellen.", field="tables")
    known = {t.name for t in _tables()}
    if unknown := set(tables) - known:
        raise ValidationError(f"Unbekannte Tabellen in der Sicherung: {', '.join(sorted(unknown))}", field="tables")
    content_tables = [t for t in _tables() if t.name != DataVersion.__tablename__]
    if not replace and any(session.scalar(select(func.count()).select_from(t)) for t in content_tables):
        raise ValidationError("Die Datenbank ist nicht leer; zum Ersetzen --replace angeben.", field="database")
    for table in reversed(content_tables):
        session.execute(delete(table))
    counts: dict[str, int] = {}
    for table in content_tables:
        rows = _parents_first(table, [_from_json(table, row) for row in tables.get(table.name, [])])
        if rows:
            session.execute(insert(table), rows)
        counts[table.name] = len(rows)
    _reset_sequences(session)
    session.execute(text("UPDATE data_version SET version = version + 1 WHERE id = 1"))
    return counts


def _parents_first(table: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Order rows so a row's parent (a foreign key to its own table) is inserted before it."""
    links = [
        (fk.parent.name, fk.column.name) for fk in table.foreign_keys if fk.column.table is table
    ]  # e.g. (parent_id, id)
    if not links or len(rows) < 2:
        return rows
    ordered: list[dict[str, Any]] = []
    placed: set[tuple[str, Any]] = set()
    waiting = rows
    while waiting:
        ready = [r for r in waiting if all(r[c] is None or (t, r[c]) in placed for c, t in links)]
        if not ready:  # a cycle (or a parent missing from the backup): the database will say which
            ordered += waiting
            break
        ordered += ready
        placed |= {(t, r[t]) for r in ready for _, t in links}
        ready_ids = {id(r) for r in ready}
        waiting = [r for r in waiting if id(r) not in ready_ids]
    return ordered


def _to_json(value: Any) -> Any:
    if isinstance(value, bytes):  # issued report files: kept byte for byte
        return base64.b64encode(value).decode("ascii")
    return value.isoformat() if isinstance(value, date | datetime | time) else value


def _from_json(table: Any, row: dict[str, Any]) -> dict[str, Any]:
    converted: dict[str, Any] = {}
    for column in table.columns:
        value = row.get(column.name)
        if column.name not in row and column.default is not None and column.default.is_scalar:
            value = column.default.arg  # a column added after the backup was made (session_epoch)
        if value is not None and isinstance(column.type, DateTime):
            value = datetime.fromisoformat(value)
        elif value is not None and isinstance(column.type, Date):
            value = date.fromisoformat(value)
        elif value is not None and isinstance(column.type, LargeBinary):
            value = base64.b64decode(value, validate=True)
        elif value is not None and isinstance(column.type, Time):  # absences from a time of day on
            value = time.fromisoformat(value)
        converted[column.name] = drop_nul(value)  # a SQLite backup from before NUL was dropped
    return converted


def _reset_sequences(session: Session) -> None:
    """PostgreSQL keeps id counters apart from the rows; move them past the restored ids."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in _tables():
        if "id" in table.columns and table.columns["id"].autoincrement:
            session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                )
            )


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
def backup_command(file: str) -> None:
    """Write all data as portable JSON to FILE (- for standard output)."""
    with session_scope(current_app) as session:
        data = dump(session)
    payload = json.dumps(data, ensure_ascii=False, indent=1)
    if file == "-":
        click.echo(payload)
        return
    path = Path(file)
    # Owner-only from the first byte (no window in which others could read it), also when replacing a file.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(payload)
    total = sum(len(rows) for rows in data["tables"].values())
    click.echo(f"Sicherung geschrieben: {file} ({total} Zeilen in {len(data['tables'])} Tabellen)", err=True)


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--replace", is_flag=True, help="Replace existing data (default: refuse a non-empty database).")
def restore_command(file: str, replace: bool) -> None:
    """Restore a backup made with `calsvc backup` (one transaction: all or nothing)."""
    try:
        data = json.loads(Path(file).read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{file} ist keine lesbare JSON-Datei: {exc}") from None
    try:
        with session_scope(current_app) as session:
            counts = restore(session, data, replace=replace)
    except ValidationError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"Wiederhergestellt: {sum(counts.values())} Zeilen aus {file}")
