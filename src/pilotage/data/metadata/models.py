"""Tables of the metadata store.

The schema is created and changed only by the Alembic migrations in ``migrations/``; a test
checks that they produce exactly these models.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar, Literal, get_args

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from pilotage.data.metadata.clock import ensure_utc

Role = Literal["admin", "cmo", "marketing", "sales", "finance", "viewer"]
Language = Literal["fr", "en"]
Scope = Literal["read", "write", "admin"]
InitiativeStatus = Literal["proposed", "approved", "launched", "evaluated"]
# rejected: the file did not validate and nothing was loaded; failed: the load itself broke.
ImportStatus = Literal["succeeded", "rejected", "failed"]

ROLES: tuple[Role, ...] = get_args(Role)
LANGUAGES: tuple[Language, ...] = get_args(Language)
SCOPES: tuple[Scope, ...] = get_args(Scope)
INITIATIVE_STATUSES: tuple[InitiativeStatus, ...] = get_args(InitiativeStatus)
IMPORT_STATUSES: tuple[ImportStatus, ...] = get_args(ImportStatus)

# Explicit names keep constraints identical on SQLite and PostgreSQL, so later migrations
# can drop or alter them by name.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def one_of(column: str, values: tuple[str, ...]) -> str:
    """SQL condition restricting ``column`` to ``values`` (for a CHECK constraint)."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware timestamp that always reads back as aware UTC.

    PostgreSQL stores the instant (``timestamptz``) and returns it in the session's zone;
    SQLite stores text without a zone. Values are written in UTC so both read back alike.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else ensure_utc(value)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
    }


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(one_of("role", ROLES), name="role"),
        CheckConstraint(one_of("language", LANGUAGES), name="language"),
        CheckConstraint("email = lower(email)", name="email_lower_case"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(Boolean, server_default=true())
    language: Mapped[Language] = mapped_column(String(2), server_default=text("'fr'"))
    # Row-level restriction: column name -> allowed values, e.g. {"country": ["FR", "BE"]}.
    restrictions: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime]
    last_login_at: Mapped[datetime | None]

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user")


class ApiToken(Base):
    __tablename__ = "api_tokens"
    __table_args__ = (CheckConstraint(one_of("scope", SCOPES), name="scope"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str | None] = mapped_column(String(200))
    scope: Mapped[Scope] = mapped_column(String(10))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="tokens")


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    # An email, "system", or "cli:<os user>".
    actor: Mapped[str] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(100), index=True)
    target: Mapped[str | None] = mapped_column(String(500))
    details: Mapped[dict[str, Any] | None]


class LoginAttempt(Base):
    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_email_at", "email", "at"),
        Index("ix_login_attempts_ip_at", "ip", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    at: Mapped[datetime]
    ip: Mapped[str | None] = mapped_column(String(45))
    success: Mapped[bool] = mapped_column(Boolean)


class WebSession(Base):
    """A browser session. The cookie holds a random secret; only its SHA-256 is stored, so a
    leaked database does not let anyone sign in."""

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
    revoked_at: Mapped[datetime | None]
    ip: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(500))

    user: Mapped[User] = relationship()


class ImportRecord(Base):
    __tablename__ = "imports"
    __table_args__ = (
        CheckConstraint(one_of("status", IMPORT_STATUSES), name="status"),
        Index("ix_imports_table_name_started_at", "table_name", "started_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    table_name: Mapped[str] = mapped_column(String(100))
    file_name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    source_adapter: Mapped[str | None] = mapped_column(String(100))
    rows_in_file: Mapped[int] = mapped_column(Integer)
    inserted: Mapped[int] = mapped_column(Integer)
    updated: Mapped[int] = mapped_column(Integer)
    unchanged: Mapped[int] = mapped_column(Integer)
    status: Mapped[ImportStatus] = mapped_column(String(20))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    actor: Mapped[str] = mapped_column(String(320))
    message: Mapped[str | None] = mapped_column(Text)


class Initiative(Base):
    """A campaign, program, event, tool or hire with its measurement plan and business case
    (see ``pilotage.core.planning.plans``); its status moves forward only, each move logged
    in ``initiative_transitions``."""

    __tablename__ = "initiatives"
    __table_args__ = (CheckConstraint(one_of("status", INITIATIVE_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(50))
    status: Mapped[InitiativeStatus] = mapped_column(String(20), server_default=text("'proposed'"))
    owner: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime]
    measurement_plan: Mapped[dict[str, Any] | None]
    business_case: Mapped[dict[str, Any] | None]
    description: Mapped[str | None] = mapped_column(Text)
    #: The evaluation as computed when the initiative was evaluated (actual vs expected).
    evaluation: Mapped[dict[str, Any] | None]
    updated_at: Mapped[datetime | None]


class Objective(Base):
    """A business objective, or a marketing objective cascading from one (``parent_id``):
    ``metric_id`` over ``scope`` reaches ``target`` between ``start`` and ``deadline``."""

    __tablename__ = "objectives"
    __table_args__ = (
        CheckConstraint(one_of("kind", ("business", "marketing")), name="kind"),
        CheckConstraint(one_of("direction", ("at_least", "at_most")), name="direction"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    metric_id: Mapped[str] = mapped_column(String(100))
    # Which slice of the data the objective is about, e.g. {"country": ["FR"]}.
    scope: Mapped[dict[str, Any] | None]
    target: Mapped[float] = mapped_column(Float)
    deadline: Mapped[date] = mapped_column(Date)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("objectives.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(20), server_default=text("'marketing'"))
    owner: Mapped[str | None] = mapped_column(String(320))
    #: First day the objective counts (None on objectives made before: their creation day).
    start: Mapped[date | None] = mapped_column(Date)
    #: at_least: the target is a floor (leads); at_most: a ceiling (CAC).
    direction: Mapped[str] = mapped_column(String(10), server_default=text("'at_least'"))
    created_by: Mapped[str | None] = mapped_column(String(320))


class Decision(Base):
    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    committee: Mapped[str] = mapped_column(String(50))
    decided_at: Mapped[datetime]
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    initiative_id: Mapped[int | None] = mapped_column(
        ForeignKey("initiatives.id", ondelete="SET NULL"), index=True
    )
    decided_by: Mapped[str] = mapped_column(String(320))


class ExperimentLink(Base):
    """The initiative an experiment tests (experiment ids come from the analytics store's
    ``experiments`` table), and the channel it measures, for calibrating the mix model."""

    __tablename__ = "experiment_links"

    experiment_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiatives.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[str | None] = mapped_column(String(100))
    linked_at: Mapped[datetime]
    linked_by: Mapped[str] = mapped_column(String(320))


class LiftResult(Base):
    """One variant's measured lift over the control, as analysed and saved: the marketing
    mix model reads these to calibrate a channel's effect (lift, interval, period)."""

    __tablename__ = "experiment_results"
    __table_args__ = (
        CheckConstraint(one_of("difference", ("absolute", "relative")), name="difference"),
        Index("ix_experiment_results_experiment_id_analysed_at", "experiment_id", "analysed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    experiment_id: Mapped[str] = mapped_column(String(200))
    variant: Mapped[str] = mapped_column(String(200))
    control: Mapped[str] = mapped_column(String(200))
    metric: Mapped[str] = mapped_column(String(20))
    method: Mapped[str] = mapped_column(String(20))
    # The scale of ci_low/ci_high.
    difference: Mapped[str] = mapped_column(String(10))
    alpha: Mapped[float] = mapped_column(Float)
    units: Mapped[int] = mapped_column(Integer)
    control_units: Mapped[int] = mapped_column(Integer)
    control_mean: Mapped[float] = mapped_column(Float)
    variant_mean: Mapped[float] = mapped_column(Float)
    lift_abs: Mapped[float] = mapped_column(Float)
    lift_rel: Mapped[float | None] = mapped_column(Float)
    ci_low: Mapped[float | None] = mapped_column(Float)
    ci_high: Mapped[float | None] = mapped_column(Float)
    p_value: Mapped[float | None] = mapped_column(Float)
    chance_to_win: Mapped[float | None] = mapped_column(Float)
    srm_p_value: Mapped[float] = mapped_column(Float)
    decision: Mapped[str] = mapped_column(String(20))
    initiative_id: Mapped[int | None] = mapped_column(
        ForeignKey("initiatives.id", ondelete="SET NULL"), index=True
    )
    channel: Mapped[str | None] = mapped_column(String(100))
    started_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    analysed_at: Mapped[datetime]
    analysed_by: Mapped[str] = mapped_column(String(320))
