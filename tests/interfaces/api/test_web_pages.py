"""The login, account and data pages (they live in interfaces/web; the signed-in server
fixture lives here)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from fastapi.testclient import TestClient

from pilotage.data.workspace import open_workspace
from pilotage.interfaces.api.app import create_app
from pilotage.interfaces.web.login import safe_next

if TYPE_CHECKING:
    from conftest import Server

SPEND = b"date,channel,campaign_id,cost\n2026-06-01,paid_search,gs7,11\n"


@pytest.mark.parametrize(("lang", "words"), [("fr", "Se connecter"), ("en", "Sign in")])
def test_login_page_in_both_languages_without_inline_script(
    server: Server, lang: str, words: str
) -> None:
    page = server.client().get("/login", params={"lang": lang})
    assert page.status_code == 200 and words in page.text
    assert "<script>" not in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert 'aria-label="main"' not in page.text  # no navigation before signing in


def test_login_page_lists_demo_logins_only_in_demo_mode(server: Server, small_workspace) -> None:
    assert "pilotage-cmo" not in server.client().get("/login").text
    demo = create_app(open_workspace(small_workspace), demo=True)
    with TestClient(demo, base_url="http://localhost") as client:
        page = client.get("/login", params={"lang": "en"}).text
    assert "cmo@demo.pilotage.fr" in page and "pilotage-cmo" in page


def test_pages_keep_filters_in_the_url(server: Server) -> None:
    client = server.signed_in("viewer")
    page = client.get("/", params={"lang": "en", "start": "2026-03-01"}).text
    assert 'href="/data?start=2026-03-01&amp;lang=en"' in page


def test_account_page_shows_role_and_permissions(server: Server) -> None:
    page = server.signed_in("finance").get("/account", params={"lang": "en"}).text
    assert "finance@acme.test" in page and "finance" in page and "read" in page
    assert "All data" in page


def test_data_page_upload_form(server: Server) -> None:
    viewer_page = server.signed_in("viewer").get("/data").text
    assert 'enctype="multipart/form-data"' not in viewer_page  # may not write
    client = server.signed_in("marketing")
    csrf = server.session_csrf(client)
    fields = {"csrf_token": csrf, "table": "spend"}
    done = client.post("/data/upload?lang=en", data=fields, files={"file": ("juin.csv", SPEND)})
    assert done.status_code == 200 and "juin.csv → spend: 1 rows" in done.text
    bad = client.post(
        "/data/upload?lang=en", data=fields, files={"file": ("bad.csv", SPEND + b"x,y,z,w\n")}
    )
    assert bad.status_code == 422 and "nothing was loaded" in bad.text
    forged = client.post(
        "/data/upload", data={"csrf_token": "x", "table": "spend"}, files={"file": ("a", SPEND)}
    )
    assert forged.status_code == 403


def test_a_forbidden_page_action_renders_a_page(server: Server) -> None:
    client = server.signed_in("viewer")
    csrf = server.session_csrf(client)
    response = client.post(
        "/data/upload", data={"csrf_token": csrf, "table": "spend"}, files={"file": ("a", SPEND)}
    )
    assert response.status_code == 403 and "<html" in response.text


@pytest.mark.parametrize(
    ("target", "expected"),
    [("/data?lang=en", "/data?lang=en"), ("//evil", "/"), ("http://x/", "/"), (None, "/")],
)
def test_safe_next(target: str | None, expected: str) -> None:
    assert safe_next(target) == expected


PAGES = [
    "/",
    "/channels",
    "/channels?drill=paid_search",
    "/attribution",
    "/journey",
    "/accounts",
    "/clv",
    "/budget",
    "/experiments",
    "/initiatives",
    "/committee",
    "/data",
]
MARCH = {"start": "2026-03-01", "end": "2026-04-30"}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_in_both_languages(server: Server, path: str, lang: str) -> None:
    client = server.signed_in("viewer")
    page = client.get(path, params={"lang": lang, **MARCH})
    assert page.status_code == 200, page.text[:300]
    assert 'aria-current="page"' in page.text and "<script>" not in page.text
    assert ("Canaux et campagnes" if lang == "fr" else "Channels and campaigns") in page.text
    assert "lorem" not in page.text.lower()


def test_overview_shows_real_numbers_and_the_channel_filter_keeps_one_channel(
    server: Server,
) -> None:
    client = server.signed_in("viewer")
    everything = client.get("/api/v1/views/overview", params=MARCH).json()
    tiles = {t["metric"]["id"]: t["value"] for t in everything["tiles"]}
    assert tiles["cost"] == 330.0 and tiles["revenue"] == 1000.0  # o4 is unattributed
    email = client.get("/api/v1/views/overview", params={**MARCH, "channel": "email"}).json()
    tiles = {t["metric"]["id"]: t["value"] for t in email["tiles"]}
    assert tiles["cost"] == 50.0 and tiles["revenue"] == 120.0
    page = client.get("/", params={**MARCH, "channel": "email", "lang": "en"}).text
    assert "€50" in page and "€120" in page and "€330" not in page


def test_segment_filter_hides_cost_and_says_why(server: Server) -> None:
    client = server.signed_in("viewer")
    sliced = client.get("/api/v1/views/overview", params={**MARCH, "segment": "SMB"}).json()
    assert sliced["channels"]["cost_sliced"] is False
    assert all(t["value"] is None for t in sliced["tiles"] if t["metric"]["id"] != "revenue")
    page = client.get("/", params={**MARCH, "segment": "SMB", "lang": "en"}).text
    assert "spend has no segment" in page


def test_overview_compares_with_the_previous_period_of_equal_length(server: Server) -> None:
    client = server.signed_in("viewer")
    april = client.get(
        "/api/v1/views/overview", params={"start": "2026-04-01", "end": "2026-04-30"}
    ).json()
    assert april["previous_start"] == "2026-03-02" and april["previous_end"] == "2026-03-31"
    cost = next(t for t in april["tiles"] if t["metric"]["id"] == "cost")
    assert cost["value"] == 130.0 and cost["previous"] == 100.0
    assert cost["change"] == {"absolute": 30.0, "relative": pytest.approx(0.3)}


def test_channels_twin_matches_the_page_and_drills_to_campaigns(server: Server) -> None:
    client = server.signed_in("viewer")
    view = client.get("/api/v1/views/channels", params=MARCH).json()
    search = next(r for r in view["rows"] if r["channel"] == "paid_search")
    assert search["values"]["cost"] == 200.0 and search["values"]["revenue"] == 800.0
    page = client.get("/channels", params={**MARCH, "lang": "en"}).text
    assert "€200" in page and "€800" in page and "drill=paid_search" in page
    drill = client.get("/api/v1/views/channels", params={**MARCH, "drill": "paid_search"}).json()
    assert [r["campaign_id"] for r in drill["rows"]] == ["gs1"]


def test_channels_and_overview_show_each_kpis_trust_score(server: Server) -> None:
    client = server.signed_in("viewer")
    view = client.get("/api/v1/views/channels", params=MARCH).json()
    kpis = client.get("/api/v1/kpis", params={**MARCH, "metrics": "cost,ctr"}).json()
    # The same score on the page's twin and in the KPI API: the lowest of the tables' scores.
    assert view["trust"]["cost"] == kpis["trust"]["cost"] and 0 <= view["trust"]["cost"] <= 100
    page = client.get("/channels", params={**MARCH, "lang": "fr"}).text
    assert page.count('class="trust" title="Confiance"') == len(view["metrics"])
    overview = client.get("/", params={**MARCH, "lang": "en"}).text
    assert 'class="trust" title="Trust">Trust ' in overview


def test_attribution_twin_credits_sum_to_all_revenue(server: Server) -> None:
    view = server.signed_in("viewer").get("/api/v1/views/attribution", params=MARCH).json()
    assert view["total_revenue"] == 1000.0 and view["total_orders"] == 4
    assert sum(r["revenue_share"] for r in view["rows"]) == pytest.approx(1.0)


def test_attribution_page_sets_models_side_by_side_with_the_kpi_engines_roi(
    server: Server,
) -> None:
    client = server.signed_in("viewer")
    view = client.get("/api/v1/views/attribution", params=MARCH).json()
    rules = ["last", "first", "last_non_direct", "linear", "position", "time_decay"]
    assert view["models"][:6] == rules
    for model in rules:
        # Every model credits the same attributed revenue, only split differently.
        credited = sum(r["by_model"][model] or 0.0 for r in view["rows"])
        assert credited == pytest.approx(view["attributed_revenue"])
        kpis = client.get(
            "/api/v1/kpis",
            params={**MARCH, "metrics": "attributed_revenue,roi", "model": model},
        ).json()
        engine = {r["channel"]: r for r in kpis["rows"]}
        for row in view["rows"]:
            if row["channel"] != "unattributed":
                assert row["by_model"][model] == pytest.approx(
                    engine[row["channel"]]["attributed_revenue"]
                )
                assert row["roi_by_model"][model] == engine[row["channel"]]["roi"]
    page = client.get("/attribution", params={**MARCH, "lang": "en"}).text
    assert "Attributed revenue under each model" in page and "Time decay (7 d)" in page


def test_kpi_calls_are_cached_until_an_upload(server: Server) -> None:
    state = server.app.state.pilotage
    client = server.signed_in("marketing")
    params = {**MARCH, "channel": "display"}
    first = client.get("/api/v1/views/overview", params=params).json()
    hits = state.cache.hits
    assert client.get("/api/v1/views/overview", params=params).json() == first
    assert state.cache.hits == hits + 1
    version = state.data_version
    more = b"date,channel,campaign_id,cost\n2026-04-20,display,dp1,20\n"
    fields = {"csrf_token": server.session_csrf(client), "table": "spend"}
    assert (
        client.post("/data/upload", data=fields, files={"file": ("d.csv", more)}).status_code == 200
    )
    assert state.data_version == version + 1
    after = client.get("/api/v1/views/overview", params=params).json()
    cost = next(t for t in after["tiles"] if t["metric"]["id"] == "cost")
    assert cost["value"] == 100.0  # 80 + 20: recomputed, not served stale


def test_language_switch_keeps_every_filter(server: Server) -> None:
    page = server.signed_in("viewer").get(
        "/channels", params={"lang": "fr", "channel": ["email", "display"], "segment": "SMB"}
    )
    assert "channel=email&amp;channel=display&amp;segment=SMB&amp;lang=en" in page.text
