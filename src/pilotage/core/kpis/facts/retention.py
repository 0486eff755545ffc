"""Subscription retention per span: MRR and customers at the start of each span and what
became of them at its end (logo churn, gross and net revenue retention).

A stock fact: built for the spans asked (each period, or the whole window for a total),
because retention over a quarter is not the sum of three months' retention. A
subscription counts at the start of a span when it started before the span's first day and
had not ended by it; at the end when it started on or before the last day and had not
ended by the end of it.
"""

from __future__ import annotations

import ibis
import pyarrow as pa

from pilotage.core.kpis.facts.base import PARTY_DIMS, Fact, FactContext, zero
from pilotage.core.kpis.facts.parties import with_party
from pilotage.core.kpis.periods import local_date

_PARTY = ("segment", "country", "tier", "target", "account")


def retention_fact(ctx: FactContext) -> Fact:
    """No span (an open window on a workspace with no data to close it): no rows."""
    t = ctx.tables
    subs = t["subscriptions"].mutate(person_id=ibis.null("string"))
    s = with_party(subs, t["people"], t["accounts"])
    s = s.mutate(
        start_day=local_date(s.started_at, ctx.zone, ctx.dialect),
        end_day=local_date(s.ended_at, ctx.zone, ctx.dialect),
        cohort=local_date(
            s.started_at.min().over(group_by=s.account), ctx.zone, ctx.dialect
        ).truncate("M"),
    )
    columns = ("period_start", "span_start", "span_end")
    spans = ibis.memtable(
        pa.table(
            {
                name: pa.array([span[i] for span in ctx.spans], pa.date32())
                for i, name in enumerate(columns)
            }
        )
    )
    j = s.cross_join(spans)
    at_start = (j.start_day < j.span_start) & (j.end_day.isnull() | (j.end_day >= j.span_start))
    at_end = (j.start_day <= j.span_end) & (j.end_day.isnull() | (j.end_day > j.span_end))
    per_account = j.group_by("period_start", "account", "cohort", *_PARTY[:-1]).aggregate(
        start_mrr=ibis.ifelse(at_start, j.mrr, zero()).sum(),
        end_mrr=ibis.ifelse(at_end, j.mrr, zero()).sum(),
    )
    a = per_account
    was = a.start_mrr > 0
    table = a.select(
        *_PARTY,
        period_start=a.period_start,
        cohort=a.cohort,
        mrr_start=a.start_mrr,
        mrr_end=a.end_mrr,
        mrr_retained=ibis.ifelse(was, ibis.least(a.start_mrr, a.end_mrr), zero()),
        mrr_end_of_start=ibis.ifelse(was, a.end_mrr, zero()),
        customers_start=ibis.ifelse(was, ibis.literal(1.0), zero()),
        customers_churned=ibis.ifelse(was & (a.end_mrr <= 0), ibis.literal(1.0), zero()),
    )
    return Fact(table, PARTY_DIMS | {"cohort"}, stock=True)
