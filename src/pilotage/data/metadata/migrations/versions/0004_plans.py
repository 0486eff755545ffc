"""Initiatives' lifecycle, measurement plans, business cases and SMART objectives.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("initiatives") as batch:
        batch.add_column(sa.Column("description", sa.Text(), nullable=True))
        batch.add_column(sa.Column("evaluation", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("updated_at", _utc(), nullable=True))
    with op.batch_alter_table("objectives") as batch:
        batch.add_column(
            sa.Column(
                "kind", sa.String(length=20), server_default=sa.text("'marketing'"), nullable=False
            )
        )
        batch.add_column(sa.Column("owner", sa.String(length=320), nullable=True))
        batch.add_column(sa.Column("start", sa.Date(), nullable=True))
        batch.add_column(
            sa.Column(
                "direction",
                sa.String(length=10),
                server_default=sa.text("'at_least'"),
                nullable=False,
            )
        )
        batch.add_column(sa.Column("created_by", sa.String(length=320), nullable=True))
        batch.create_check_constraint(
            op.f("ck_objectives_kind"), "kind IN ('business', 'marketing')"
        )
        batch.create_check_constraint(
            op.f("ck_objectives_direction"), "direction IN ('at_least', 'at_most')"
        )
    op.create_table(
        "initiative_transitions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=True),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("at", _utc(), nullable=False),
        sa.Column("by", sa.String(length=320), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "to_status IN ('proposed', 'approved', 'launched', 'evaluated')",
            name=op.f("ck_initiative_transitions_to_status"),
        ),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiatives.id"],
            name=op.f("fk_initiative_transitions_initiative_id_initiatives"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_initiative_transitions")),
    )
    op.create_index(
        "ix_initiative_transitions_initiative_id_at",
        "initiative_transitions",
        ["initiative_id", "at"],
    )


def downgrade() -> None:
    op.drop_table("initiative_transitions")
    with op.batch_alter_table("objectives") as batch:
        batch.drop_constraint(op.f("ck_objectives_direction"), type_="check")
        batch.drop_constraint(op.f("ck_objectives_kind"), type_="check")
        for column in ("created_by", "direction", "start", "owner", "kind"):
            batch.drop_column(column)
    with op.batch_alter_table("initiatives") as batch:
        for column in ("updated_at", "evaluation", "description"):
            batch.drop_column(column)
