"""Governance: alerts and their deliveries, committees, action items, health check.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _check(column: str, values: tuple[str, ...], table: str, name: str) -> sa.CheckConstraint:
    listed = ", ".join(f"'{v}'" for v in values)
    return sa.CheckConstraint(f"{column} IN ({listed})", name=op.f(f"ck_{table}_{name}"))


# The option sets as they are at this revision (a later change gets its own migration).
_RULES = ("anomaly", "pacing", "cpa_drift")
_KINDS = ("shift", "spike", "dip", "overspend", "underspend", "drift")
_DIRECTIONS = ("up", "down")
_SEVERITIES = ("info", "warning", "critical")
_STATES = ("open", "acknowledged", "resolved")
_DELIVERY = ("pending", "delivered", "failed")
_CADENCES = ("weekly", "monthly", "quarterly")
_ROLES = (
    "ceo",
    "cmo",
    "cdo",
    "cfo",
    "sales",
    "marketing",
    "it",
    "customer_service",
    "data",
    "other",
)
_DOMAINS = ("seo", "sea", "social", "email", "content", "events", "data", "budget")
_RACI = ("responsible", "accountable", "consulted", "informed")
_ACTIONS = ("open", "done", "cancelled")


def upgrade() -> None:
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=500), nullable=False),
        sa.Column("rule", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("metric_id", sa.String(length=100), nullable=False),
        sa.Column("dimension", sa.String(length=50), nullable=True),
        sa.Column("slice_value", sa.String(length=200), nullable=True),
        sa.Column("direction", sa.String(length=4), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("last_period", sa.Date(), nullable=False),
        sa.Column("expected", sa.Float(), nullable=True),
        sa.Column("observed", sa.Float(), nullable=True),
        sa.Column("change_abs", sa.Float(), nullable=True),
        sa.Column("change_rel", sa.Float(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("cause", sa.JSON(), nullable=True),
        sa.Column("suggestion", sa.JSON(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=True),
        sa.Column("state", sa.String(length=15), server_default=sa.text("'open'"), nullable=False),
        sa.Column("first_seen_at", _utc(), nullable=False),
        sa.Column("last_seen_at", _utc(), nullable=False),
        sa.Column("times_seen", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.Column("acknowledged_at", _utc(), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=320), nullable=True),
        sa.Column("resolved_at", _utc(), nullable=True),
        sa.Column("resolved_by", sa.String(length=320), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        _check("rule", _RULES, "alerts", "rule"),
        _check("kind", _KINDS, "alerts", "kind"),
        _check("direction", _DIRECTIONS, "alerts", "direction"),
        _check("severity", _SEVERITIES, "alerts", "severity"),
        _check("state", _STATES, "alerts", "state"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
    )
    op.create_index("ix_alerts_key_state", "alerts", ["key", "state"])

    op.create_table(
        "webhooks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhooks")),
        sa.UniqueConstraint("url", name=op.f("uq_webhooks_url")),
    )

    op.create_table(
        "alert_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("event", sa.String(length=30), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("last_attempt_at", _utc(), nullable=True),
        sa.Column("delivered_at", _utc(), nullable=True),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        _check("status", _DELIVERY, "alert_deliveries", "status"),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["alerts.id"],
            name=op.f("fk_alert_deliveries_alert_id_alerts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_deliveries")),
        sa.UniqueConstraint(
            "alert_id", "url", "event", name=op.f("uq_alert_deliveries_alert_id_url_event")
        ),
    )
    op.create_index(op.f("ix_alert_deliveries_alert_id"), "alert_deliveries", ["alert_id"])
    op.create_index(op.f("ix_alert_deliveries_status"), "alert_deliveries", ["status"])

    op.create_table(
        "committees",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("cadence", sa.String(length=10), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        _check("cadence", _CADENCES, "committees", "cadence"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committees")),
        sa.UniqueConstraint("name", name=op.f("uq_committees_name")),
    )

    op.create_table(
        "committee_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("committee_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=True),
        _check("role", _ROLES, "committee_members", "role"),
        sa.ForeignKeyConstraint(
            ["committee_id"],
            ["committees.id"],
            name=op.f("fk_committee_members_committee_id_committees"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_members")),
        sa.UniqueConstraint(
            "committee_id", "name", name=op.f("uq_committee_members_committee_id_name")
        ),
    )
    op.create_index(
        op.f("ix_committee_members_committee_id"), "committee_members", ["committee_id"]
    )

    op.create_table(
        "responsibilities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("domain", sa.String(length=30), nullable=False),
        sa.Column("person", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=12), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        _check("domain", _DOMAINS, "responsibilities", "domain"),
        _check("level", _RACI, "responsibilities", "level"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_responsibilities")),
        sa.UniqueConstraint("domain", "person", name=op.f("uq_responsibilities_domain_person")),
    )

    op.create_table(
        "action_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=True),
        sa.Column("committee_id", sa.Integer(), nullable=True),
        sa.Column("alert_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), server_default=sa.text("'open'"), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.Column("closed_at", _utc(), nullable=True),
        _check("status", _ACTIONS, "action_items", "status"),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decisions.id"],
            name=op.f("fk_action_items_decision_id_decisions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["committee_id"],
            ["committees.id"],
            name=op.f("fk_action_items_committee_id_committees"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["alerts.id"],
            name=op.f("fk_action_items_alert_id_alerts"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_items")),
    )
    op.create_index(op.f("ix_action_items_decision_id"), "action_items", ["decision_id"])
    op.create_index(op.f("ix_action_items_committee_id"), "action_items", ["committee_id"])
    op.create_index(op.f("ix_action_items_alert_id"), "action_items", ["alert_id"])
    op.create_index("ix_action_items_status_due_date", "action_items", ["status", "due_date"])

    op.create_table(
        "health_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=50), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("answered_at", _utc(), nullable=False),
        sa.Column("answered_by", sa.String(length=320), nullable=False),
        sa.CheckConstraint("score >= 0 AND score <= 4", name=op.f("ck_health_answers_score_range")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_answers")),
    )
    op.create_index(
        "ix_health_answers_question_answered_at",
        "health_answers",
        ["question", "answered_at"],
    )


def downgrade() -> None:
    # Children before the tables they reference.
    for table in (
        "health_answers",
        "action_items",
        "responsibilities",
        "committee_members",
        "committees",
        "alert_deliveries",
        "webhooks",
        "alerts",
    ):
        op.drop_table(table)
