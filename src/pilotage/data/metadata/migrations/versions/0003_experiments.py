"""Experiments: the initiative each experiment tests, and the saved lift results the
marketing mix model calibrates with.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "experiment_links",
        sa.Column("experiment_id", sa.String(length=200), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=100), nullable=True),
        sa.Column("linked_at", _utc(), nullable=False),
        sa.Column("linked_by", sa.String(length=320), nullable=False),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiatives.id"],
            name=op.f("fk_experiment_links_initiative_id_initiatives"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("experiment_id", name=op.f("pk_experiment_links")),
    )
    op.create_index(
        op.f("ix_experiment_links_initiative_id"), "experiment_links", ["initiative_id"]
    )
    op.create_table(
        "experiment_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("experiment_id", sa.String(length=200), nullable=False),
        sa.Column("variant", sa.String(length=200), nullable=False),
        sa.Column("control", sa.String(length=200), nullable=False),
        sa.Column("metric", sa.String(length=20), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("difference", sa.String(length=10), nullable=False),
        sa.Column("alpha", sa.Float(), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("control_units", sa.Integer(), nullable=False),
        sa.Column("control_mean", sa.Float(), nullable=False),
        sa.Column("variant_mean", sa.Float(), nullable=False),
        sa.Column("lift_abs", sa.Float(), nullable=False),
        sa.Column("lift_rel", sa.Float(), nullable=True),
        sa.Column("ci_low", sa.Float(), nullable=True),
        sa.Column("ci_high", sa.Float(), nullable=True),
        sa.Column("p_value", sa.Float(), nullable=True),
        sa.Column("chance_to_win", sa.Float(), nullable=True),
        sa.Column("srm_p_value", sa.Float(), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=100), nullable=True),
        sa.Column("started_at", _utc(), nullable=True),
        sa.Column("ended_at", _utc(), nullable=True),
        sa.Column("analysed_at", _utc(), nullable=False),
        sa.Column("analysed_by", sa.String(length=320), nullable=False),
        sa.CheckConstraint(
            "difference IN ('absolute', 'relative')",
            name=op.f("ck_experiment_results_difference"),
        ),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiatives.id"],
            name=op.f("fk_experiment_results_initiative_id_initiatives"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_experiment_results")),
    )
    op.create_index(
        op.f("ix_experiment_results_initiative_id"), "experiment_results", ["initiative_id"]
    )
    op.create_index(
        "ix_experiment_results_experiment_id_analysed_at",
        "experiment_results",
        ["experiment_id", "analysed_at"],
    )


def downgrade() -> None:
    op.drop_table("experiment_results")
    op.drop_table("experiment_links")
