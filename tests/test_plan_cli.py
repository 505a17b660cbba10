"""``calsvc import-plan``: what it prints, its exit status, and that failures write nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import Result
from flask import Flask
from sqlalchemy import func, select

from calsvc.db import session_scope
from calsvc.models import Activity, Gremium, PlanImport

from .conftest import PLAN_FILE

RunCli = Callable[..., Result]


def rows(app: Flask, model: type) -> int:
    with app.app_context(), session_scope(app) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_dry_run_of_the_seed_plan_prints_what_it_understood(app: Flask, run_cli: RunCli) -> None:
    result = run_cli("import-plan", str(PLAN_FILE), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Gremien: 29 gelesen (5 Leitungen" in result.output
    assert "29 Gremien, 5 Leitungen, 25 Aktivitäten, 13 laufende Tätigkeiten, 4 Personen" in result.output
    assert "Nicht gelesen: 0 Zeilen" in result.output
    assert rows(app, Gremium) == 0


def test_import_then_reimport(app: Flask, run_cli: RunCli) -> None:
    result = run_cli("import-plan", str(PLAN_FILE), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Probelauf: nichts wurde gespeichert." in result.output
    assert "Int2 (unbesetzt)" in result.output and "SozL (extern)" in result.output
    assert rows(app, Gremium) == 0

    result = run_cli("import-plan", str(PLAN_FILE), "--year", "2024")
    assert result.exit_code == 0, result.output
    assert "Gremien: 29 neu" in result.output
    assert (rows(app, Gremium), rows(app, Activity), rows(app, PlanImport)) == (29, 25, 1)

    result = run_cli("import-plan", str(PLAN_FILE))
    assert result.exit_code == 0, result.output
    assert "Keine Änderungen." in result.output


def test_unreadable_lines_exit_1_and_write_nothing(app: Flask, run_cli: RunCli, tmp_path: Path) -> None:
    broken = (
        PLAN_FILE.read_text(encoding="utf-8")
        .replace(
            "7\tKurzschulung zu den neuen Regelungen im AsylLG\tInt1, Soz L",
            "7b\tKurzschulung zu den neuen Regelungen im AsylLG\tInt1, Soz L",
        )
        .replace("Arbeitskreis Kinderschutz\tInt1 / Int2", "Arbeitskreis Kinderschutz\tInt1 / Int3")
    )
    plan = tmp_path / "plan.txt"
    plan.write_text(broken, encoding="utf-8")
    result = run_cli("import-plan", str(plan))
    assert result.exit_code == 1, result.output
    assert "Nicht gelesen: 2 Zeile(n) – nichts wurde gespeichert." in result.output
    assert "Zeile 131: Unbekanntes Personenkürzel „Int3“" in result.output
    assert "Zeile 148: Ungültige laufende Nummer „7b“" in result.output
    assert "Aktivitäten: 24 gelesen" in result.output
    assert rows(app, Gremium) == 0


def test_a_file_that_is_not_utf8_is_refused(run_cli: RunCli, tmp_path: Path) -> None:
    plan = tmp_path / "plan.txt"
    plan.write_bytes("Arbeitsplan für 2024 – Büro".encode("cp1252"))
    result = run_cli("import-plan", str(plan))
    assert result.exit_code == 1
    assert "keine UTF-8-Textdatei" in result.output
