"""Credit outcomes (orders, conversions, leads, opportunities) to the touches before them.

Set-based rule attribution as one Ibis expression: a join within the lookback window and
window functions over each outcome, so it runs where the data lives (DuckDB, Spark, a
warehouse). Causality: a touch after the outcome never counts. Every outcome's weights sum
to exactly 1; an outcome with no touch in the window keeps weight 1 with a null channel
(shown as ``unattributed``), never spread over channels.

The data-driven models (Markov, Shapley) and the milestone models need whole paths and
are computed by the attribution module; the KPI engine offers the rule models here.
"""

from __future__ import annotations

from typing import Literal, get_args

import ibis
import ibis.expr.types as ir

from pilotage.core.kpis.periods import seconds_between

CreditModel = Literal["last", "first", "last_non_direct", "linear", "position", "time_decay"]
CREDIT_MODELS: tuple[CreditModel, ...] = get_args(CreditModel)
#: Channel of outcomes with no touch in the window.
UNATTRIBUTED = "unattributed"
_SECONDS_PER_DAY = 86_400.0


def person_touches(touchpoints: ir.Table) -> ir.Table:
    """Touches keyed for outcomes of a person (``match`` = 'p:' + person_id)."""
    t = touchpoints.filter(touchpoints.person_id.notnull())
    return _keyed(t, "p:" + t.person_id)


def account_touches(touchpoints: ir.Table, people: ir.Table) -> ir.Table:
    """Touches keyed for outcomes of an account: the account's own touches and those of its
    people (``match`` = 'a:' + account_id)."""
    accounts_of = people.select(t_person="person_id", t_account="account_id")
    t = touchpoints.left_join(accounts_of, touchpoints.person_id == accounts_of.t_person)
    t = t.mutate(t_account=ibis.coalesce(t.account_id, t.t_account))
    t = t.filter(t.t_account.notnull())
    return _keyed(t, "a:" + t.t_account)


def person_or_account_touches(touchpoints: ir.Table) -> ir.Table:
    """Touches keyed both ways, for outcomes matched on their person, else their account."""
    by_account = touchpoints.filter(touchpoints.account_id.notnull())
    return person_touches(touchpoints).union(_keyed(by_account, "a:" + by_account.account_id))


def _keyed(t: ir.Table, match: ir.StringValue) -> ir.Table:
    is_sales = t.is_sales.fill_null(False) | (t.channel == "sales")
    return t.select(
        "touched_at",
        "channel",
        "campaign_id",
        match=match,
        is_sales=is_sales,
    )


def credited(
    outcomes: ir.Table,
    touches: ir.Table,
    model: CreditModel,
    lookback_days: int,
    half_life_days: float = 7.0,
) -> ir.Table:
    """``outcomes`` (columns ``outcome_id``, ``at``, ``match`` and any others) with one row
    per credited touch: the outcome's columns plus ``channel`` (null: unattributed),
    ``campaign_id`` and ``weight`` (summing to 1 per outcome)."""
    if model not in CREDIT_MODELS:
        raise ValueError(f"no rule attribution model {model!r}")
    t = touches.select(
        t_match="match", touched_at="touched_at", channel="channel", campaign_id="campaign_id"
    )
    joined = outcomes.join(
        t,
        [
            outcomes.match == t.t_match,
            t.touched_at <= outcomes.at,
            t.touched_at >= outcomes.at - ibis.interval(days=lookback_days),
        ],
    ).drop("t_match")
    tie = [joined.channel, joined.campaign_id.fill_null("")]
    weighted = joined.mutate(weight=_weight(joined, model, tie, half_life_days)).drop("touched_at")
    if model in ("last", "first", "last_non_direct"):
        weighted = weighted.filter(weighted.weight > 0)
    alone = outcomes.anti_join(t, _same_window(outcomes, t, lookback_days))
    unmatched = alone.mutate(
        channel=ibis.null("string"), campaign_id=ibis.null("string"), weight=ibis.literal(1.0)
    )
    return weighted.union(unmatched.select(*weighted.columns))


def _same_window(outcomes: ir.Table, t: ir.Table, lookback_days: int) -> list[ir.BooleanValue]:
    return [
        outcomes.match == t.t_match,
        t.touched_at <= outcomes.at,
        t.touched_at >= outcomes.at - ibis.interval(days=lookback_days),
    ]


def _weight(
    j: ir.Table,
    model: CreditModel,
    tie: list[ir.Value],
    half_life_days: float,
) -> ir.FloatingValue:
    one, zero = ibis.literal(1.0), ibis.literal(0.0)
    if model == "last":
        rank = ibis.row_number().over(
            group_by=j.outcome_id, order_by=[ibis.desc(j.touched_at), *tie]
        )
        return ibis.ifelse(rank == 0, one, zero)
    if model == "first":
        rank = ibis.row_number().over(group_by=j.outcome_id, order_by=[j.touched_at, *tie])
        return ibis.ifelse(rank == 0, one, zero)
    if model == "last_non_direct":
        direct = ibis.ifelse(j.channel == "direct", 1, 0)
        rank = ibis.row_number().over(
            group_by=j.outcome_id, order_by=[direct, ibis.desc(j.touched_at), *tie]
        )
        return ibis.ifelse(rank == 0, one, zero)
    per_outcome = ibis.window(group_by=j.outcome_id)
    n = j.outcome_id.count().over(per_outcome).cast("float64")
    if model == "linear":
        return one / n
    if model == "position":
        first = ibis.row_number().over(group_by=j.outcome_id, order_by=[j.touched_at, *tie])
        edge = (first == 0) | (first.cast("float64") == n - 1)
        middle = ibis.literal(0.2) / (n - 2).nullif(0)
        return ibis.cases(
            (n == 1, one), (n == 2, ibis.literal(0.5)), (edge, ibis.literal(0.4)), else_=middle
        )
    age_days = seconds_between(j.at, j.touched_at) / _SECONDS_PER_DAY
    decay = ibis.literal(2.0).pow(-age_days / half_life_days)
    return decay / decay.sum().over(per_outcome)
