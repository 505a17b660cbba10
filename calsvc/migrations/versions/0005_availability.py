"""accounts of persons, absences, outside calendars (busy times), acknowledged conflicts

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 06:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("person_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_app_user_person_id_person"), "person", ["person_id"], ["id"], ondelete="SET NULL"
        )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("feed_absences", sa.Boolean(), server_default="0", nullable=False))
    op.create_table(
        "absence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("start_day", sa.Date(), nullable=False),
        sa.Column("end_day", sa.Date(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=True),
        sa.Column("end_time", sa.Time(), nullable=True),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_absence_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_absence")),
    )
    with op.batch_alter_table("absence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_absence_person_id"), ["person_id"], unique=False)
    op.create_table(
        "busy_source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("last_sync_at", sa.DateTime(), nullable=True),
        sa.Column("last_ok", sa.Boolean(), nullable=False),
        sa.Column("last_message", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_busy_source_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_busy_source")),
    )
    with op.batch_alter_table("busy_source", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_busy_source_person_id"), ["person_id"], unique=False)
    op.create_table(
        "busy_interval",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.DateTime(), nullable=False),
        sa.Column("end", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["busy_source.id"], name=op.f("fk_busy_interval_source_id_busy_source"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_busy_interval")),
    )
    with op.batch_alter_table("busy_interval", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_busy_interval_source_id"), ["source_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_busy_interval_start"), ["start"], unique=False)
    op.create_table(
        "conflict_ack",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conflict_ack")),
        sa.UniqueConstraint("key", name=op.f("uq_conflict_ack_key")),
    )


def downgrade() -> None:
    op.drop_table("conflict_ack")
    with op.batch_alter_table("busy_interval", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_busy_interval_start"))
        batch_op.drop_index(batch_op.f("ix_busy_interval_source_id"))
    op.drop_table("busy_interval")
    with op.batch_alter_table("busy_source", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_busy_source_person_id"))
    op.drop_table("busy_source")
    with op.batch_alter_table("absence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_absence_person_id"))
    op.drop_table("absence")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("feed_absences")
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_app_user_person_id_person"), type_="foreignkey")
        batch_op.drop_column("person_id")
