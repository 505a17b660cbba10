"""Engine and session handling: one engine per app, one session per request or command.

Domain functions never open sessions; they take one. Views get it from :func:`get_session`,
commands from :func:`session_scope`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event, select, update
from sqlalchemy.orm import Session, sessionmaker

from calsvc.models import DataVersion, utcnow

__all__ = [
    "DATA_VERSION_ROW",
    "current_data_version",
    "data_stamp",
    "database_name",
    "get_session",
    "init_app",
    "make_engine",
    "session_scope",
]

_WROTE = "calsvc.wrote"  # in Session.info while its transaction holds writes not yet committed

DATA_VERSION_ROW = select(DataVersion.version, DataVersion.changed_at).where(DataVersion.id == 1)
"""The data version and the time of the last write, prebuilt: feed polls and kept work read it per request."""


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets foreign keys, WAL and a busy timeout."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


@event.listens_for(Session, "before_flush")
def _bump_data_version(session: Session, _ctx: Any, _instances: Any) -> None:
    """Count every write, so caches keyed on the data version see each change at once."""
    real_writes = (o for o in (*session.new, *session.deleted) if not isinstance(o, DataVersion))
    real_edits = (o for o in session.dirty if not isinstance(o, DataVersion) and session.is_modified(o))
    if next(real_writes, None) is None and next(real_edits, None) is None:
        return
    session.info[_WROTE] = True
    session.connection().execute(
        update(DataVersion)
        .where(DataVersion.id == 1)
        .values(version=DataVersion.version + 1, changed_at=utcnow())
        .execution_options(synchronize_session=False)
    )


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_writes(session: Session) -> None:
    """The transaction is over: its writes are committed (or gone)."""
    session.info.pop(_WROTE, None)


def database_name(url: Any) -> str:
    """An engine's URL without its password: the identity of the database in cache keys."""
    return str(url.render_as_string(hide_password=True))


def data_stamp(session: Session) -> tuple[str, int, datetime] | None:
    """Which committed data this session reads: the database, its data version and last write.

    Work kept under a stamp is valid for every session with an equal one. ``None`` while the
    session's own transaction has written (flushed, not committed): those writes may still be
    rolled back, so nothing read now may be kept.
    """
    row = session.execute(DATA_VERSION_ROW).first()
    if row is None or session.info.get(_WROTE):
        return None
    return database_name(session.get_bind().engine.url), row.version, row.changed_at


def current_data_version(session: Session) -> int:
    """The number of write transactions so far; 0 on an empty database."""
    return session.scalar(select(DataVersion.version).where(DataVersion.id == 1)) or 0


def init_app(app: Flask) -> None:
    """Attach an engine and a session factory to ``app``."""
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["calsvc.engine"] = engine
    app.extensions["calsvc.sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    app.teardown_appcontext(_close_session)


def get_session() -> Session:
    """The session of the current request (created on first use, closed at teardown)."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["calsvc.sessionmaker"]()
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


@contextmanager
def session_scope(app: Flask | None = None) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error (nothing half-written)."""
    factory = (app or current_app).extensions["calsvc.sessionmaker"]
    with factory() as session, session.begin():
        yield session
