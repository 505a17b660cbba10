"""``calsvc conflicts``: a German table or JSON, exit 1 when there are conflicts, 0 otherwise."""

from __future__ import annotations

import json
from typing import Any

from flask import Flask


def test_the_demo_year_lists_its_conflicts_and_exits_1(demo_app: Flask, run_cli: Any) -> None:
    result = run_cli("conflicts", "--from", "2024-01-01", "--to", "2024-12-31")
    assert result.exit_code == 1, result.output
    header = next(line for line in result.output.splitlines() if line.startswith("Datum"))
    assert header.split() == ["Datum", "Art", "Schwere", "Person", "Erklärung"]
    assert "23.01.2024" in result.output and "Überschneidung" in result.output and "Leitung fehlt" in result.output
    assert "Erster Mai" in result.output and "Kritisch" in result.output
    assert "Konflikt(e)" in result.output.splitlines()[-1]


def test_json_output_matches_the_api(demo_app: Flask, run_cli: Any) -> None:
    result = run_cli("conflicts", "--from", "2024-01-01", "--to", "2024-12-31", "--json", "--person", "IntB")
    assert result.exit_code == 1
    data = json.loads(result.output)
    api = demo_app.test_client().get(
        "/api/v1/conflicts", query_string={"from": "2024-01-01", "to": "2025-01-01", "person": "IntB"}
    )
    assert data["count"] == api.get_json()["count"] > 0
    assert data["by_kind"] == api.get_json()["by_kind"]


def test_to_is_inclusive(demo_app: Flask, run_cli: Any) -> None:
    result = run_cli("conflicts", "--from", "2024-05-01", "--to", "2024-05-01", "--json")
    assert [c["day"] for c in json.loads(result.output)["conflicts"]] == ["2024-05-01"] * 2  # holiday + Int2 vacancy


def test_no_conflicts_exit_0(app: Flask, run_cli: Any) -> None:
    result = run_cli("conflicts", "--from", "2024-01-01", "--to", "2024-12-31")
    assert result.exit_code == 0, result.output
    assert "Keine Konflikte vom 01.01.2024 bis 31.12.2024." in result.output


def test_gremium_filter(demo_app: Flask, run_cli: Any) -> None:
    result = run_cli(
        "conflicts",
        "--from",
        "2024-01-01",
        "--to",
        "2024-12-31",
        "--gremium",
        "jour-fixe-der-laf-unterkuenfte",
        "--json",
    )
    data = json.loads(result.output)
    assert data["count"] and {c["kind"] for c in data["conflicts"]} == {"vacancy"}


def test_bad_input_exits_2_with_a_message(demo_app: Flask, run_cli: Any) -> None:
    unknown = run_cli("conflicts", "--person", "Nobody")
    assert unknown.exit_code == 2 and "Nobody" in unknown.output and "--person" in unknown.output
    backwards = run_cli("conflicts", "--from", "2024-02-01", "--to", "2024-01-01")
    assert backwards.exit_code == 2 and "--to" in backwards.output


def test_severity_option_hides_the_vacancy_hints(demo_app: Flask, run_cli: Any) -> None:
    result = run_cli("conflicts", "--from", "2024-01-01", "--to", "2024-12-31", "--severity", "critical", "--json")
    assert result.exit_code == 1
    assert {c["kind"] for c in json.loads(result.output)["conflicts"]} == {"lead_missing"}
