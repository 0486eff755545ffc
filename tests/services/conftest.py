"""A small literal workspace for the KPI engine: every table the engine reads, EUR reporting
with some USD rows, Europe/Paris days, a February 2026 with no flow data, and a touch and a
lead at 23:30 UTC on 31 March (1 April in Paris).

Every expected number of tests/services/test_kpi_engine.py is computed by hand from these
rows; change a row and the arithmetic there must change with it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.data.workspace import open_workspace
from pilotage.interfaces.cli.main import main
from pilotage.services.workspaces import analytics

#: USD is worth 0.9 EUR from 1 January 2026 and 0.8 EUR from 1 March 2026.
FX_RATES = """date,currency,rate_to_reporting
2026-01-01,USD,0.9
2026-03-01,USD,0.8
"""
#: cost EUR: 50 (2025) | 100 + 200×0.9=180 (Jan) | 0 + 100×0.8=80 + 40 (Mar).
SPEND = (
    (
        "date,channel,campaign_id,cost,currency,impressions,clicks,"
        "platform_conversions,platform_conversion_value,reactions\n"
    )
    + """2025-01-15,paid_search,gs1,50,EUR,500,5,0,0,
2026-01-10,paid_search,gs1,100,EUR,1000,50,2,300,
2026-01-20,paid_social,ps1,200,USD,4000,40,1,100,10
2026-03-05,email,em1,0,EUR,0,0,0,0,
2026-03-10,paid_search,gs1,100,USD,1000,30,0,0,
2026-03-12,events,ev1,40,EUR,0,0,0,0,
"""
)
CAMPAIGNS = """campaign_id,name,channel,program,initiative_id
gs1,Search brand,paid_search,search,i1
ps1,Social launch,paid_social,social,i1
em1,Newsletter,email,newsletter,
ev1,Paris meetup,events,events,i2
"""
#: overhead EUR: 1000 (Jan, no channel: unallocated) + 200×0.8=160 (Mar, paid_search).
COSTS = """month,category,amount,currency,channel
2026-01-01,team,1000,EUR,
2026-03-01,tools,200,USD,paid_search
"""
ACCOUNTS = """account_id,name,country,segment,is_target,tier
A1,Acme,FR,enterprise,true,tier1
A2,Beta,DE,smb,false,tier2
A3,Gamma,FR,mid,true,tier1
A4,Delta,DE,enterprise,false,tier2
"""
#: p2's own country (BE) beats its account's (DE); p3 has no account; p4 is created at
#: 23:30 UTC on 31 March, i.e. 1 April in Paris.
PEOPLE = """person_id,account_id,created_at,mql_at,sql_at,opportunity_at,customer_at,country,segment
p1,A1,2026-01-05T08:00:00Z,2026-01-08T08:00:00Z,2026-01-15T08:00:00Z,2026-01-20T08:00:00Z,2026-03-02T08:00:00Z,,
p2,A2,2026-01-12T08:00:00Z,2026-01-25T08:00:00Z,,,,BE,
p3,,2026-03-02T08:00:00Z,,,,,FR,smb
p4,A3,2026-03-31T23:30:00Z,,,,,,
"""
TOUCHPOINTS = (
    (
        "touch_id,touched_at,person_id,account_id,anonymous_id,channel,campaign_id,session_id,"
        "is_sales\n"
    )
    + """t9,2025-10-01T09:00:00Z,,A4,,email,em1,s9,
t10,2026-01-02T09:00:00Z,,A4,,sales,,,true
t11,2026-01-03T09:00:00Z,,A4,,webinars,,s7,
t1,2026-01-04T10:00:00Z,p1,,,paid_search,gs1,s1,
t2,2026-01-04T10:05:00Z,p1,,,paid_search,gs1,s1,
t3,2026-01-11T09:00:00Z,p2,,,paid_social,ps1,s2,
t4,2026-01-18T09:00:00Z,p1,,,email,em1,s3,
t5,2026-01-19T09:00:00Z,,A1,,sales,,,true
t6,2026-03-02T09:00:00Z,,,v1,direct,,s4,
t12,2026-03-02T15:00:00Z,,,v1,direct,,s8,
t7,2026-03-03T08:00:00Z,p3,,,events,ev1,s5,
t8,2026-03-31T23:00:00Z,p4,,,email,em1,s6,
"""
)
#: o2 is 500 USD at 0.9 (margin 200 USD = 180 EUR); o3 is a refund; o4 has only an account
#: with no touch (unattributed); o0 is a year earlier, by someone with no touch.
ORDERS = """order_id,ordered_at,amount,currency,person_id,account_id,gross_margin,margin_is_ratio
o0,2025-01-15T12:00:00Z,400,EUR,p5,,,
o1,2026-01-06T12:00:00Z,1000,EUR,p1,,0.5,true
o2,2026-01-21T12:00:00Z,500,USD,p2,,200,false
o3,2026-03-04T12:00:00Z,-100,EUR,p1,,0.5,true
o4,2026-03-06T12:00:00Z,300,EUR,,A3,,
o5,2026-03-07T10:00:00Z,200,EUR,p3,,0.25,true
"""
#: c6 is before p1's first touch (unattributed); c5 is on an account with no own touch.
CONVERSIONS = """conversion_id,converted_at,conversion_type,person_id,account_id,value,currency
c1,2026-01-05T09:00:00Z,signup,p1,,0,EUR
c2,2026-01-12T10:00:00Z,lead,p2,,0,EUR
c3,2026-01-21T12:00:00Z,purchase,p2,,500,USD
c4,2026-03-07T10:00:00Z,purchase,p3,,200,EUR
c5,2026-03-08T10:00:00Z,mql,,A2,0,EUR
c6,2026-01-03T10:00:00Z,signup,p1,,0,EUR
"""
OPPORTUNITIES = (
    ("opportunity_id,account_id,created_at,amount,stage,closed_at,is_closed,is_won,source\n")
    + """op1,A1,2026-01-20T10:00:00Z,10000,won,2026-03-01T10:00:00Z,true,true,sales
op2,A2,2026-01-26T10:00:00Z,5000,lost,2026-03-15T10:00:00Z,true,false,marketing
op3,A3,2026-03-20T10:00:00Z,2000,open,,false,false,marketing
op4,A4,2026-01-10T10:00:00Z,3000,won,2026-01-30T10:00:00Z,true,true,other
"""
)
#: A1 expands in February, A2 churns in January, A3 contracts in March, A4 is new in
#: February.
SUBSCRIPTIONS = """subscription_id,account_id,started_at,mrr,ended_at
s1,A1,2025-06-01T00:00:00Z,100,
s1b,A1,2026-02-15T00:00:00Z,50,
s2,A2,2025-09-01T00:00:00Z,200,2026-01-20T00:00:00Z
s3,A3,2025-11-01T00:00:00Z,300,2026-03-10T00:00:00Z
s3b,A3,2026-03-10T00:00:00Z,250,
s4,A4,2026-02-01T00:00:00Z,80,
"""
SURVEYS = """response_id,answered_at,survey_type,score,person_id,account_id
r1,2026-01-10T10:00:00Z,nps,10,p1,
r2,2026-01-11T10:00:00Z,nps,9,p2,
r3,2026-03-10T10:00:00Z,nps,7,,A3
r4,2026-03-11T10:00:00Z,nps,3,p3,
r5,2026-01-12T10:00:00Z,csat,5,p1,
r6,2026-03-12T10:00:00Z,csat,4,p2,
r7,2026-03-13T10:00:00Z,csat,2,p3,
r8,2026-01-14T10:00:00Z,ces,3,p1,
r9,2026-03-14T10:00:00Z,ces,5,,A3
"""
#: fx_rates first: the money of the other tables is converted on load.
LOADS = (
    ("fx_rates", FX_RATES),
    ("campaigns", CAMPAIGNS),
    ("spend", SPEND),
    ("costs", COSTS),
    ("accounts", ACCOUNTS),
    ("people", PEOPLE),
    ("touchpoints", TOUCHPOINTS),
    ("orders", ORDERS),
    ("conversions", CONVERSIONS),
    ("opportunities", OPPORTUNITIES),
    ("subscriptions", SUBSCRIPTIONS),
    ("surveys", SURVEYS),
)


@pytest.fixture(scope="session")
def kpi_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("kpis") / "acme"
    assert main(["init", str(root)]) == 0
    for table, text in LOADS:
        path = root.parent / f"{table}.csv"
        path.write_text(text, encoding="utf-8")
        assert main(["load", table, str(path), "--workspace", str(root)]) == 0, table
    return root


@pytest.fixture(scope="session")
def kpi_store(kpi_workspace: Path) -> Iterator[tuple[AnalyticsStore, WorkspaceSettings]]:
    workspace = open_workspace(kpi_workspace)
    with analytics(workspace) as store:
        yield store, workspace.settings
