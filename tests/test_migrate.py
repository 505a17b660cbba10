"""Migrations: down to nothing and up again on SQLite and PostgreSQL, and the schema matches the models."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from sqlalchemy import inspect

from calsvc.db import session_scope
from calsvc.migrate import downgrade, upgrade
from calsvc.models import Base, Person


def schema_drift(engine: Any) -> list[Any]:
    """What autogenerate would change to make the database match the models (empty: none)."""
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def test_the_migrated_schema_is_exactly_the_models(app: Flask) -> None:
    assert schema_drift(app.extensions["calsvc.engine"]) == []


def test_downgrade_to_base_and_upgrade_again(app: Flask) -> None:
    engine = app.extensions["calsvc.engine"]
    with app.app_context(), session_scope(app) as s:
        s.add(Person(code="IntB", title="Integrationsbeauftragte"))
    downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(engine)
    upgrade(engine)  # repeating is harmless
    assert set(inspect(engine).get_table_names()) >= {t.name for t in Base.metadata.sorted_tables}
    assert schema_drift(engine) == []
    with app.app_context(), session_scope(app) as s:
        assert s.query(Person).count() == 0
        s.add(Person(code="IntB", title="Integrationsbeauftragte"))
