"""``calsvc report YEAR QUARTER --format … -o FILE``."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from docx import Document
from flask import Flask


@pytest.mark.parametrize(
    ("fmt", "magic"), [("pdf", b"%PDF"), ("csv", b"\xef\xbb\xbf"), ("docx", b"PK"), ("html", b"<!doctype html>")]
)
def test_report_writes_each_format(
    demo_app: Flask, run_cli: Callable[..., Result], tmp_path: Path, fmt: str, magic: bytes
) -> None:
    target = tmp_path / f"bericht.{fmt}"
    result = run_cli("report", "2024", "Q2", "--format", fmt, "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(magic)
    assert "Abarbeitungsstand Arbeitsplan 2024 – II. Quartal 2024: 25 Aktivitäten" in result.output
    assert f"Gespeichert als {fmt.upper()}: {target}" in result.output


def test_format_follows_the_file_suffix(demo_app: Flask, run_cli: Callable[..., Result], tmp_path: Path) -> None:
    target = tmp_path / "q2.docx"
    result = run_cli("report", "2024", "2", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert len(Document(io.BytesIO(target.read_bytes())).tables[0].rows) == 26


def test_default_file_name_in_the_current_folder(
    app: Flask, run_cli: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("report", "2024", "Q3", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "abarbeitungsstand-2024-Q3.csv").read_bytes().startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize(
    ("year", "quarter", "message"),
    [
        ("2024", "Q5", "„Q5“ ist kein Quartal – erlaubt sind Q1, Q2, Q3 und Q4."),
        ("2024", "zwei", "„zwei“ ist kein Quartal"),
        ("vierundzwanzig", "Q1", "„vierundzwanzig“ ist kein Jahr"),
    ],
)
def test_bad_quarter_is_a_clear_german_error(
    run_cli: Callable[..., Result], tmp_path: Path, year: str, quarter: str, message: str
) -> None:
    target = tmp_path / "x.pdf"
    result = run_cli("report", year, quarter, "-o", str(target))
    assert result.exit_code == 2
    assert f"Fehler: {message}" in result.output and not target.exists()
