"""The app factory, health check, start page and error pages."""

from __future__ import annotations

from typing import Any

from calsvc import create_app


def test_factory_takes_config_and_defaults_to_sqlite_in_instance(tmp_path: Any) -> None:
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3", "SECRET_KEY": "x"})
    assert app.config["DATABASE_URL"].endswith("x.sqlite3")
    plain = create_app({"SECRET_KEY": "x"})
    assert plain.config["DATABASE_URL"].startswith("sqlite:///") and "instance" in plain.config["DATABASE_URL"]


def test_postgres_urls_use_psycopg3(monkeypatch: Any) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@localhost/calsvc")
    app = create_app({"SECRET_KEY": "x"})
    assert app.config["DATABASE_URL"] == "postgresql+psycopg://u:p@localhost/calsvc"


def test_healthz_reports_database_and_version(client: Any) -> None:
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json["status"] == "ok" and answer.json["data_version"] == 0


def test_overview_page_is_german_even_when_empty(client: Any) -> None:
    page = client.get("/uebersicht").get_data(as_text=True)
    assert "Gremien (0)" in page and "Nächste Termine" in page and 'lang="de"' in page


def test_unknown_page_is_a_friendly_404(client: Any) -> None:
    answer = client.get("/gibt-es-nicht")
    assert answer.status_code == 404
    assert "Die Seite /gibt-es-nicht gibt es nicht." in answer.get_data(as_text=True)
    api = client.get("/api/v1/gibt-es-nicht")
    assert api.status_code == 404 and api.json["error"]["code"] == "not_found"


def test_every_answer_carries_security_headers(client: Any) -> None:
    for path in ("/", "/healthz", "/gibt-es-nicht", "/api/v1/persons"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
