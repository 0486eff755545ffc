"""The funnel (lead -> MQL -> SQL -> opportunity -> customer) and survey answers.

Funnel stages of a person are credited to the touches before their creation (the lead
source under the chosen model), so that leads, MQLs and customers of a channel add up and
CPL divides a channel's cost by its own leads. Stage-to-stage conversion is by cohort: of
the people who reached stage A in the slice, how many reached stage B (ever, so far).
"""

from __future__ import annotations

import itertools

import ibis
import ibis.expr.types as ir

from pilotage.core.kpis.credit import credited, person_touches
from pilotage.core.kpis.facts.base import (
    CREDITED_DIMS,
    PARTY_DIMS,
    Fact,
    FactContext,
    credited_dims,
    with_campaign_attributes,
    zero,
)
from pilotage.core.kpis.facts.parties import with_party
from pilotage.core.kpis.periods import local_date

#: (stage, people column, count measure id), in funnel order.
STAGES: tuple[tuple[str, str, str], ...] = (
    ("lead", "created_at", "leads"),
    ("mql", "mql_at", "mqls"),
    ("sql", "sql_at", "sqls"),
    ("opportunity", "opportunity_at", "opportunity_people"),
    ("customer", "customer_at", "customers"),
)
#: Every ordered pair of stages (from, to) with from before to.
STAGE_PAIRS: tuple[tuple[str, str], ...] = tuple(
    (a[0], b[0]) for a, b in itertools.combinations(STAGES, 2)
)
_PARTY = ("segment", "country", "tier", "target", "account")


def cohort_measure(source: str, target: str) -> str:
    return f"cohort_{source}_{target}"


def funnel_fact(ctx: FactContext) -> Fact:
    t = ctx.tables
    p = with_party(t["people"], t["people"], t["accounts"])
    stamps = [p[column] for _, column, _ in STAGES]
    outcomes = p.select(
        *_PARTY,
        *(column for _, column, _ in STAGES),
        outcome_id=p.person_id,
        at=ibis.coalesce(*stamps),
        match="p:" + p.person_id,
    )
    c = credited(
        outcomes,
        person_touches(t["touchpoints"]),
        ctx.model,
        ctx.lookback_days,
        ctx.half_life_days,
    )
    c = with_campaign_attributes(c, t["campaigns"])
    # One credited row per person, crossed with the stages (not a union of five queries:
    # an engine would credit the people five times).
    stages = ibis.memtable({"stage_index": list(range(len(STAGES)))})
    x = c.cross_join(stages)
    index = x.stage_index
    stamp = ibis.cases(*((index == i, x[column]) for i, (_, column, _) in enumerate(STAGES)))
    x = x.mutate(stamp=stamp).filter(lambda r: r.stamp.notnull())
    w, index = x.weight, x.stage_index
    counts = {
        measure: ibis.ifelse(index == i, w, zero()) for i, (_, _, measure) in enumerate(STAGES)
    }
    cohorts = {
        cohort_measure(a, b): ibis.ifelse((index == _index(a)) & x[_column(b)].notnull(), w, zero())
        for a, b in STAGE_PAIRS
    }
    table = x.select(
        *_PARTY,
        **credited_dims(x),
        day=local_date(x.stamp, ctx.zone, ctx.dialect),
        cohort=local_date(x.created_at, ctx.zone, ctx.dialect).truncate("M"),
        **counts,
        **cohorts,
    )
    return Fact(table, CREDITED_DIMS | PARTY_DIMS | {"cohort"})


def _index(stage: str) -> int:
    return next(i for i, (name, _, _) in enumerate(STAGES) if name == stage)


def _column(stage: str) -> str:
    return next(column for name, column, _ in STAGES if name == stage)


def surveys_fact(ctx: FactContext) -> Fact:
    """NPS (0-10: promoters 9-10, detractors 0-6), CSAT (1-5: satisfied 4-5), CES."""
    t = ctx.tables
    s = with_party(t["surveys"], t["people"], t["accounts"])
    kind, score = s.survey_type, s.score
    one = ibis.literal(1.0)

    def count(condition: ir.BooleanValue) -> ir.FloatingValue:
        return ibis.ifelse(condition, one, zero())

    table = s.select(
        *_PARTY,
        day=local_date(s.answered_at, ctx.zone, ctx.dialect),
        nps_responses=count(kind == "nps"),
        promoters=count((kind == "nps") & (score >= 9)),
        detractors=count((kind == "nps") & (score <= 6)),
        csat_responses=count(kind == "csat"),
        csat_satisfied=count((kind == "csat") & (score >= 4)),
        ces_responses=count(kind == "ces"),
        ces_total=ibis.ifelse(kind == "ces", score, zero()),
    )
    return Fact(table, PARTY_DIMS)
