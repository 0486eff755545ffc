"""What ends a journey and when its owner reached each milestone, as Ibis expressions.

Person level: a journey ends at a conversion of the chosen types. Account level (B2B): at a
funnel stage of the account: its first MQL and first SQL (earliest ``mql_at``/``sql_at`` of
its people), each opportunity's creation and each won opportunity's close, valued at the
opportunity amount; any other name is a conversion type of the account's conversions.
Milestones (lead, opportunity and closed-won times) tag the touch at or just before them.
"""

from __future__ import annotations

from typing import Literal

import ibis
import ibis.expr.types as ir

Level = Literal["person", "account"]
#: Account-level stages, in funnel order (``won`` is a closed-won opportunity).
STAGES = ("mql", "sql", "opportunity", "won")


def conversion_events(conversions: ir.Table, types: tuple[str, ...], level: Level) -> ir.Table:
    """Conversions of ``types`` as events: owner, end_at, value, cid (tie-break key)."""
    c = conversions.filter(conversions.conversion_type.isin(types))
    owner = c.person_id if level == "person" else c.account_id
    return c.filter(owner.notnull()).select(
        owner=owner,
        end_at=c.converted_at,
        value=c.value.cast("float64"),
        cid=c.conversion_id.fill_null(c.opportunity_id).fill_null(""),
    )


def stage_events(people: ir.Table, opportunities: ir.Table, stage: str) -> ir.Table:
    """Account-level stage events: owner (account), end_at, value, cid (the opportunity)."""
    if stage in ("mql", "sql"):
        at = people[f"{stage}_at"]
        p = people.filter(people.account_id.notnull() & at.notnull())
        first = p.group_by(owner=p.account_id).aggregate(end_at=p[f"{stage}_at"].min())
        return first.select("owner", "end_at", value=ibis.null("float64"), cid=ibis.literal(""))
    o = opportunities
    if stage == "won":
        o = o.filter(o.is_won.fill_null(False) & o.closed_at.notnull())
    return o.select(
        owner=o.account_id,
        end_at=o.closed_at if stage == "won" else o.created_at,
        value=o.amount.cast("float64"),
        cid=o.opportunity_id,
    )


def person_milestones(people: ir.Table, conversions: ir.Table, opportunities: ir.Table) -> ir.Table:
    """m_owner (person), lead_at (first lead conversion, else created_at), opp_at
    (opportunity_at, else the account's first opportunity), won_at (the account's first
    closed-won opportunity, else customer_at)."""
    leads = conversions.filter(
        (conversions.conversion_type == "lead") & conversions.person_id.notnull()
    )
    first_lead = leads.group_by(lead_person=leads.person_id).aggregate(
        first_lead=leads.converted_at.min()
    )
    deals = account_deals(opportunities)
    p = people.left_join(first_lead, people.person_id == first_lead.lead_person)
    p = p.left_join(deals, p.account_id == deals.deal_account)
    return p.select(
        m_owner=p.person_id,
        lead_at=p.first_lead.fill_null(p.created_at),
        opp_at=p.opportunity_at.fill_null(p.first_opp),
        won_at=p.first_won.fill_null(p.customer_at),
    )


def account_milestones(people: ir.Table, opportunities: ir.Table) -> ir.Table:
    """m_owner (account), lead_at (its first person's creation), opp_at, won_at (its first
    opportunity and first closed-won opportunity)."""
    p = people.filter(people.account_id.notnull())
    leads = p.group_by(lead_account=p.account_id).aggregate(lead_at=p.created_at.min())
    deals = account_deals(opportunities)
    j = leads.outer_join(deals, leads.lead_account == deals.deal_account)
    return j.select(
        m_owner=j.lead_account.fill_null(j.deal_account),
        lead_at=j.lead_at,
        opp_at=j.first_opp,
        won_at=j.first_won,
    )


def account_deals(opportunities: ir.Table) -> ir.Table:
    """deal_account, first_opp (first creation), first_won (first closed-won close)."""
    o = opportunities
    won = o.is_won.fill_null(False)
    return o.group_by(deal_account=o.account_id).aggregate(
        first_opp=o.created_at.min(),
        first_won=ibis.ifelse(won, o.closed_at, ibis.null(o.closed_at.type())).min(),
    )
