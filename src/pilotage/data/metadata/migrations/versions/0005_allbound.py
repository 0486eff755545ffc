"""Allbound: target account lists, shared sales and marketing goals, engagement weights.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None

#: The goal metrics of pilotage.core.allbound.goals, frozen as this revision knows them.
_GOAL_METRICS = (
    "'pipeline', 'opportunities', 'meetings', 'engaged_coverage', 'opportunity_coverage'"
)


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "target_lists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("sales_owner", sa.String(length=320), nullable=False),
        sa.Column("marketing_owner", sa.String(length=320), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target_lists")),
        sa.UniqueConstraint("name", name=op.f("uq_target_lists_name")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "target_list_members",
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.String(length=200), nullable=False),
        sa.Column("added_at", _utc(), nullable=False),
        sa.Column("added_by", sa.String(length=320), nullable=False),
        sa.ForeignKeyConstraint(
            ["list_id"],
            ["target_lists.id"],
            name=op.f("fk_target_list_members_list_id_target_lists"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("list_id", "account_id", name=op.f("pk_target_list_members")),
    )
    op.create_index(
        op.f("ix_target_list_members_account_id"), "target_list_members", ["account_id"]
    )
    op.create_table(
        "target_list_goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(length=30), nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("target", sa.Float(), nullable=False),
        sa.Column("set_at", _utc(), nullable=False),
        sa.Column("set_by", sa.String(length=320), nullable=False),
        sa.CheckConstraint(
            f"metric IN ({_GOAL_METRICS})", name=op.f("ck_target_list_goals_metric")
        ),
        sa.CheckConstraint(
            "period_start <= period_end", name=op.f("ck_target_list_goals_period_order")
        ),
        sa.ForeignKeyConstraint(
            ["list_id"],
            ["target_lists.id"],
            name=op.f("fk_target_list_goals_list_id_target_lists"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target_list_goals")),
        sa.UniqueConstraint(
            "list_id", "metric", "period", name=op.f("uq_target_list_goals_list_id_metric_period")
        ),
    )
    op.create_index(op.f("ix_target_list_goals_list_id"), "target_list_goals", ["list_id"])
    op.create_table(
        "engagement_scorings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("weights", sa.JSON(), nullable=False),
        sa.Column("half_life_days", sa.Float(), nullable=False),
        sa.Column("window_days", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.CheckConstraint(
            "half_life_days > 0", name=op.f("ck_engagement_scorings_half_life_positive")
        ),
        sa.CheckConstraint("window_days > 0", name=op.f("ck_engagement_scorings_window_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_scorings")),
    )
    op.create_index("ix_engagement_scorings_created_at", "engagement_scorings", ["created_at"])


def downgrade() -> None:
    op.drop_table("engagement_scorings")
    op.drop_table("target_list_goals")
    op.drop_table("target_list_members")
    op.drop_table("target_lists")
