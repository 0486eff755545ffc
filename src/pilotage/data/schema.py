"""The canonical tables of a workspace (shared/data-model.md), as data.

Every reader, adapter, validator, loader and the demo generator works from these specs, so a
column is declared once. Column names are lower-case snake case; incoming headers are matched
case-insensitively after trimming spaces (see :func:`normalise_header`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pyarrow as pa

ColumnType = Literal["string", "int", "float", "money", "date", "timestamp", "bool"]

_ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "int": pa.int64(),
    "float": pa.float64(),
    "money": pa.float64(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("us", tz="UTC"),
    "bool": pa.bool_(),
}


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    required: bool = False
    #: Refuse negative values (costs, amounts, counts).
    nonnegative: bool = False
    #: Closed set of accepted values (after lower-casing), or None for free text.
    choices: tuple[str, ...] | None = None
    #: Inclusive bounds for numbers.
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class TableSpec:
    name: str
    description: str
    columns: tuple[Column, ...]
    #: Columns forming the upsert key; empty means "hash of the row's canonical values".
    key: tuple[str, ...]
    #: Groups of which at least one column must be present in the file and filled per row.
    one_of: tuple[tuple[str, ...], ...] = ()
    #: The timestamp or date column used for min/max dates and time slicing.
    time_column: str | None = None
    #: Optional id column: when present and filled it is the key, else the row hash is.
    id_column: str | None = None
    column_index: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "column_index", {c.name: c for c in self.columns})
        unknown = [k for k in self.key if k not in self.column_index]
        if unknown:
            raise ValueError(f"table {self.name}: key columns {unknown} are not declared")

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def money_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.type == "money")

    def column(self, name: str) -> Column | None:
        return self.column_index.get(name)


def _c(name: str, type_: ColumnType = "string", **kw: object) -> Column:
    return Column(name, type_, **kw)  # type: ignore[arg-type]


def _req(name: str, type_: ColumnType = "string", **kw: object) -> Column:
    return Column(name, type_, required=True, **kw)  # type: ignore[arg-type]


SURVEY_TYPES = ("nps", "csat", "ces")

TABLES: dict[str, TableSpec] = {
    t.name: t
    for t in (
        TableSpec(
            "spend",
            "What was paid, per day and campaign",
            (
                _req("date", "date"),
                _req("channel"),
                _req("campaign_id"),
                _req("cost", "money", nonnegative=True),
                _c("currency"),
                _c("campaign_name"),
                _c("ad_group"),
                _c("impressions", "int", nonnegative=True),
                _c("clicks", "int", nonnegative=True),
                _c("reach", "int", nonnegative=True),
                _c("platform_conversions", "float", nonnegative=True),
                _c("platform_conversion_value", "money", nonnegative=True),
                _c("source"),
                _c("medium"),
            ),
            key=("date", "campaign_id", "ad_group"),
            time_column="date",
        ),
        TableSpec(
            "campaigns",
            "Campaigns and programs",
            (
                _req("campaign_id"),
                _req("name"),
                _req("channel"),
                _c("program"),
                _c("initiative_id"),
                _c("start_date", "date"),
                _c("end_date", "date"),
                _c("budget", "money", nonnegative=True),
                _c("currency"),
                _c("owner"),
            ),
            key=("campaign_id",),
            time_column="start_date",
        ),
        TableSpec(
            "accounts",
            "Companies",
            (
                _req("account_id"),
                _req("name"),
                _c("domain"),
                _c("industry"),
                _c("employees", "int", nonnegative=True),
                _c("country"),
                _c("segment"),
                _c("is_target", "bool"),
                _c("tier"),
                _c("sales_owner"),
                _c("marketing_owner"),
                _c("created_at", "timestamp"),
            ),
            key=("account_id",),
            time_column="created_at",
        ),
        TableSpec(
            "people",
            "Leads, contacts, customers",
            (
                _req("person_id"),
                _c("account_id"),
                _c("created_at", "timestamp"),
                _c("lifecycle_stage"),
                _c("mql_at", "timestamp"),
                _c("sql_at", "timestamp"),
                _c("opportunity_at", "timestamp"),
                _c("customer_at", "timestamp"),
                _c("country"),
                _c("segment"),
                _c("job_role"),
                _c("acquisition_channel"),
            ),
            key=("person_id",),
            time_column="created_at",
        ),
        TableSpec(
            "touchpoints",
            "Every marketing or sales interaction",
            (
                _req("touched_at", "timestamp"),
                _req("channel"),
                _c("person_id"),
                _c("account_id"),
                _c("anonymous_id"),
                _c("touch_id"),
                _c("campaign_id"),
                _c("touch_type"),
                _c("source"),
                _c("medium"),
                _c("utm_campaign"),
                _c("utm_content"),
                _c("utm_term"),
                _c("landing_page"),
                _c("is_sales", "bool"),
                _c("session_id"),
            ),
            key=(),
            one_of=(("person_id", "account_id", "anonymous_id"),),
            time_column="touched_at",
            id_column="touch_id",
        ),
        TableSpec(
            "conversions",
            "Outcomes that matter",
            (
                _req("converted_at", "timestamp"),
                _req("conversion_type"),
                _c("person_id"),
                _c("account_id"),
                _c("conversion_id"),
                _c("value", "money", nonnegative=True),
                _c("currency"),
                _c("opportunity_id"),
            ),
            key=(),
            one_of=(("person_id", "account_id"),),
            time_column="converted_at",
            id_column="conversion_id",
        ),
        TableSpec(
            "opportunities",
            "The sales pipeline",
            (
                _req("opportunity_id"),
                _req("account_id"),
                _req("created_at", "timestamp"),
                _req("amount", "money", nonnegative=True),
                _req("stage"),
                _c("closed_at", "timestamp"),
                _c("is_closed", "bool"),
                _c("is_won", "bool"),
                _c("source", choices=("marketing", "sales", "partner", "other")),
                _c("primary_campaign_id"),
                _c("owner"),
                _c("currency"),
            ),
            key=("opportunity_id",),
            time_column="created_at",
        ),
        TableSpec(
            "orders",
            "Revenue transactions",
            (
                _req("order_id"),
                _req("ordered_at", "timestamp"),
                _req("amount", "money"),
                _c("person_id"),
                _c("account_id"),
                _c("gross_margin", "float"),
                _c("margin_is_ratio", "bool"),
                _c("currency"),
                _c("product"),
            ),
            key=("order_id",),
            one_of=(("person_id", "account_id"),),
            time_column="ordered_at",
        ),
        TableSpec(
            "subscriptions",
            "Recurring revenue",
            (
                _req("subscription_id"),
                _req("account_id"),
                _req("started_at", "timestamp"),
                _req("mrr", "money", nonnegative=True),
                _c("ended_at", "timestamp"),
                _c("plan"),
                _c("currency"),
            ),
            key=("subscription_id",),
            time_column="started_at",
        ),
        TableSpec(
            "product_events",
            "Product usage",
            (
                _req("occurred_at", "timestamp"),
                _req("event"),
                _c("person_id"),
                _c("account_id"),
                _c("event_id"),
            ),
            key=(),
            one_of=(("person_id", "account_id"),),
            time_column="occurred_at",
            id_column="event_id",
        ),
        TableSpec(
            "surveys",
            "NPS, CSAT, CES answers",
            (
                _req("answered_at", "timestamp"),
                _req("survey_type", choices=SURVEY_TYPES),
                _req("score", "float", minimum=0, maximum=10),
                _c("response_id"),
                _c("person_id"),
                _c("account_id"),
                _c("comment"),
                _c("journey_stage"),
            ),
            key=(),
            time_column="answered_at",
            id_column="response_id",
        ),
        TableSpec(
            "conversations",
            "Community posts, advisory board and user group notes, tickets, social mentions",
            (
                _req("posted_at", "timestamp"),
                _req("source"),
                _req("text"),
                _c("conversation_id"),
                _c("author_id"),
                _c("account_id"),
                _c("language"),
                _c("url"),
                _c("thread_id"),
            ),
            key=(),
            time_column="posted_at",
            id_column="conversation_id",
        ),
        TableSpec(
            "experiments",
            "A/B test units or aggregates",
            (
                _req("experiment_id"),
                _req("variant"),
                _c("unit_id"),
                _c("units", "int", nonnegative=True),
                _c("exposed_at", "timestamp"),
                _c("converted", "float", nonnegative=True),
                _c("value", "float"),
                _c("pre_value", "float"),
                _c("conversions", "float", nonnegative=True),
                _c("value_sum", "float"),
                _c("value_sum_squares", "float", nonnegative=True),
                _c("planned_share", "float", minimum=0, maximum=1),
            ),
            key=("experiment_id", "variant", "unit_id"),
            one_of=(("unit_id", "units"),),
            time_column="exposed_at",
        ),
        TableSpec(
            "fx_rates",
            "Exchange rates to the reporting currency",
            (
                _req("date", "date"),
                _req("currency"),
                _req("rate_to_reporting", "float", minimum=0),
            ),
            key=("date", "currency"),
            time_column="date",
        ),
        TableSpec(
            "costs",
            "Team and tool costs per month, for fully loaded CAC",
            (
                _req("month", "date"),
                _req("category"),
                _req("amount", "money", nonnegative=True),
                _c("currency"),
                _c("channel"),
                _c("description"),
            ),
            key=("month", "category", "channel"),
            time_column="month",
        ),
    )
}


def get_table(name: str) -> TableSpec:
    """The spec of a canonical table, or a UsageError listing the valid names."""
    from pilotage.errors import UsageError

    spec = TABLES.get(name.strip().lower())
    if spec is None:
        raise UsageError(
            f"unknown table {name!r}",
            fix=f"use one of: {', '.join(sorted(TABLES))}",
        )
    return spec


def normalise_header(name: str) -> str:
    """Header matching rule: case-insensitive, surrounding spaces ignored, inner spaces -> '_'."""
    return "_".join(name.strip().lstrip("\ufeff").lower().split())


def arrow_type(column_type: ColumnType) -> pa.DataType:
    """How a canonical column type is stored (timestamps in UTC, money as float64 + currency)."""
    return _ARROW_TYPES[column_type]


def arrow_schema(spec: TableSpec) -> pa.Schema:
    """The declared columns of a table, in declaration order (extras come after, as strings)."""
    return pa.schema([pa.field(c.name, arrow_type(c.type)) for c in spec.columns])
