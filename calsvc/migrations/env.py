"""Alembic environment: the URL and connection come from calsvc (see calsvc.migrate)."""

from __future__ import annotations

from alembic import context

from calsvc.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    """Run online against the connection calsvc passes in (or the configured URL)."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from calsvc.db import make_engine

    url = config.get_main_option("sqlalchemy.url")
    if url is None:
        raise RuntimeError("Alembic needs a connection or sqlalchemy.url (calsvc init-db passes one)")
    with make_engine(url).connect() as conn:
        _run(conn)
        conn.commit()


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
