"""Allbound over HTTP: /api/v1/target-lists, /api/v1/accounts/{account_id} and
/api/v1/engagement (the CLI's result objects, permissions, row-level restrictions, bad
input as JSON errors that save nothing) and the pages with their CSRF-protected forms."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from pilotage.data.workspace import open_workspace
from pilotage.errors import ForbiddenError
from pilotage.interfaces.api.app import create_app
from pilotage.interfaces.cli.main import main
from pilotage.services import accounts
from pilotage.services.workspaces import metadata

SECRET = "7c1e9a3b5d7f0a2c4e6b8d0f1a3c5e7b9d1f3a5c7e9b0d2f"
PASSWORD = "allbound-pass-1234"
FIXTURES = Path(__file__).parents[2] / "fixtures" / "allbound"
TABLES = (
    "accounts",
    "campaigns",
    "people",
    "touchpoints",
    "product_events",
    "surveys",
    "opportunities",
    "conversions",
)
#: name -> (role, restrictions)
USERS: dict[str, tuple[str, dict[str, list[str]] | None]] = {
    "cmo": ("cmo", None),
    "sales": ("sales", None),
    "finance": ("finance", None),
    "viewer": ("viewer", None),
    "fr": ("viewer", {"country": ["FR"]}),
    "frwriter": ("marketing", {"country": ["FR"]}),
}
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module")
def app_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("allbound-api") / "ws"
    assert main(["init", str(root)]) == 0
    for name in TABLES:
        assert main(["load", name, str(FIXTURES / f"{name}.csv"), "-w", str(root)]) == 0
    with metadata(open_workspace(root)) as meta:
        for name, (role, restrictions) in USERS.items():
            accounts.add_user(
                meta, f"{name}@acme.test", role, PASSWORD, actor="t", restrictions=restrictions
            )
    return root


@pytest.fixture(scope="module")
def clients(app_root: Path) -> Iterator[dict[str, TestClient]]:
    app = create_app(open_workspace(app_root), secret_key=SECRET)
    with TestClient(app):
        signed = {}
        for name in USERS:
            client = TestClient(app, base_url="http://localhost", follow_redirects=False)
            form = client.get("/login")
            found = _CSRF.search(form.text)
            assert found
            answer = client.post(
                "/login",
                data={
                    "email": f"{name}@acme.test",
                    "password": PASSWORD,
                    "csrf_token": found.group(1),
                    "next": "/",
                },
            )
            assert answer.status_code == 303
            signed[name] = client
        yield signed


@pytest.fixture(scope="module")
def cmo_token(app_root: Path, clients: dict[str, TestClient]) -> dict[str, str]:
    with metadata(open_workspace(app_root)) as meta:
        secret = accounts.create_token(meta, "cmo@acme.test", "write", name="t", actor="t").secret
    return {"Authorization": f"Bearer {secret}"}


def csrf(client: TestClient) -> str:
    found = _CSRF.search(client.get("/account").text)
    assert found
    return found.group(1)


def api(clients: dict[str, TestClient], headers: dict[str, str]) -> TestClient:
    client = TestClient(clients["cmo"].app, base_url="http://localhost")
    client.headers.update(headers)
    return client


@pytest.fixture(scope="module")
def key_list(clients: dict[str, TestClient], cmo_token: dict[str, str]) -> int:
    client = api(clients, cmo_token)
    made = client.post(
        "/api/v1/target-lists",
        json={
            "name": "Key",
            "sales_owner": "Sam Sales",
            "marketing_owner": "Mia Marketing",
            "account_ids": ["A2"],
            "from_targets": True,
            "tiers": ["tier 1"],
        },
    )
    assert made.status_code == 201, made.text
    list_id: int = made.json()["id"]
    assert made.json()["account_ids"] == ["A1", "A2", "A4"]
    goal = {"metric": "meetings", "period": "2026-Q1", "target": 2}
    assert client.put(f"/api/v1/target-lists/{list_id}/goals", json=goal).status_code == 200
    return list_id


def test_a_list_naming_unknown_accounts_is_refused_with_them(
    clients: dict[str, TestClient], cmo_token: dict[str, str]
) -> None:
    client = api(clients, cmo_token)
    body = {"name": "Bad", "sales_owner": "S", "marketing_owner": "M", "account_ids": ["A1", "X9"]}
    answer = client.post("/api/v1/target-lists", json=body)
    assert answer.status_code == 422
    doc = answer.json()
    assert (
        doc["code"] == "invalid_input"
        and "not in the workspace's accounts table: X9" in (doc["message"])
    )
    assert [e["value"] for e in doc["errors"]] == ["X9"]
    names = [r["name"] for r in client.get("/api/v1/target-lists").json()["lists"]]
    assert "Bad" not in names
    no_owner = client.post(
        "/api/v1/target-lists", json={**body, "account_ids": [], "marketing_owner": " "}
    )
    assert no_owner.status_code == 400 and "marketing_owner is missing" in no_owner.text
    tiers_alone = client.post("/api/v1/target-lists", json={**body, "tiers": ["tier 1"]})
    assert tiers_alone.status_code == 400 and "tiers go with from_targets" in tiers_alone.text


def test_only_planners_change_lists(clients: dict[str, TestClient], key_list: int) -> None:
    body = {"name": "Mine", "sales_owner": "S", "marketing_owner": "M"}
    goal = {"metric": "meetings", "period": "2026-Q3", "target": 9}
    for name in ("finance", "viewer"):
        client = clients[name]
        headers = {"X-CSRF-Token": csrf(client)}
        answer = client.post("/api/v1/target-lists", json=body, headers=headers)
        assert answer.status_code == 403 and "needs the 'plan' permission" in answer.text
        path = f"/api/v1/target-lists/{key_list}/goals"
        assert client.put(path, json=goal, headers=headers).status_code == 403
    writer = clients["frwriter"]
    answer = writer.post("/api/v1/target-lists", json=body, headers={"X-CSRF-Token": csrf(writer)})
    assert answer.status_code == 403 and "restricted" in answer.text
    forged = clients["cmo"].post("/api/v1/target-lists", json=body)
    assert forged.status_code == 403 and "CSRF" in forged.text


def test_members_are_added_from_ids_or_a_csv_and_removed(
    clients: dict[str, TestClient], cmo_token: dict[str, str]
) -> None:
    client = api(clients, cmo_token)
    made = client.post(
        "/api/v1/target-lists", json={"name": "Grow", "sales_owner": "S", "marketing_owner": "M"}
    ).json()
    base = f"/api/v1/target-lists/{made['id']}"
    assert made["account_ids"] == []
    bad = client.post(f"{base}/members/import", files={"file": ("t.csv", b"account_id\nA3\nQ\n")})
    assert bad.status_code == 422 and bad.json()["errors"][0]["line"] == 3
    done = client.post(f"{base}/members/import", files={"file": ("t.csv", b"account_id\nA3\n")})
    assert done.status_code == 200 and done.json()["account_ids"] == ["A3"]
    added = client.post(f"{base}/members", json={"account_ids": ["A1"]}).json()
    assert added["account_ids"] == ["A1", "A3"]
    after = client.delete(f"{base}/members/A3").json()
    assert after["account_ids"] == ["A1"]
    absent = client.delete(f"{base}/members/A3")
    assert absent.status_code == 400 and "does not hold A3" in absent.text
    renamed = client.patch(base, json={"name": "Growth", "sales_owner": "Tom"}).json()
    assert (renamed["name"], renamed["sales_owner"]) == ("Growth", "Tom")
    assert client.delete(base).json()["name"] == "Growth"
    assert client.get(base).status_code == 404
    assert client.post(f"{base}/members", json={"account_ids": ["A1"]}).status_code == 404


def test_goals_read_their_progress_and_refuse_bad_input(
    clients: dict[str, TestClient], cmo_token: dict[str, str], key_list: int
) -> None:
    client = api(clients, cmo_token)
    base = f"/api/v1/target-lists/{key_list}/goals"
    bad = client.put(base, json={"metric": "revenue", "period": "2026-Q1", "target": 1})
    assert bad.status_code == 400 and "unknown goal metric 'revenue'" in bad.json()["message"]
    goals = clients["viewer"].get(base).json()
    assert goals["as_of"] == "2026-04-01"
    [meetings] = goals["goals"]
    assert (meetings["actual"], meetings["status"]) == (1.0, "missed")
    assert clients["fr"].get(base).status_code == 403
    extra = {"metric": "pipeline", "period": "2026-Q2", "target": 500}
    assert client.put(base, json=extra).status_code == 200
    gone = client.delete(base, params={"metric": "pipeline", "period": "2026-Q2"})
    assert gone.status_code == 204
    again = client.delete(base, params={"metric": "pipeline", "period": "2026-Q2"})
    assert again.status_code == 404


def test_the_views_apply_the_restriction_and_withhold_goals(
    clients: dict[str, TestClient], key_list: int
) -> None:
    base = f"/api/v1/target-lists/{key_list}"
    sales = clients["sales"].get(f"{base}/sales").json()
    assert [a["account_id"] for a in sales["scores"]["accounts"]] == ["A1", "A2", "A4"]
    assert sales["goals"][0]["metric"] == "meetings" and sales["hidden_accounts"] == 0
    fr = clients["fr"].get(f"{base}/sales").json()
    assert [a["account_id"] for a in fr["scores"]["accounts"]] == ["A1"]
    assert fr["goals"] == [] and fr["goals_withheld"] and fr["hidden_accounts"] == 2
    assert clients["fr"].get(base).status_code == 403  # raw membership
    marketing = clients["viewer"].get(f"{base}/marketing", params={"model": "first"}).json()
    assert marketing["model"] == "first" and marketing["pipeline_total"] == 15_000.0
    assert clients["viewer"].get(f"{base}/marketing", params={"model": "x"}).status_code == 400
    scores = clients["fr"].get("/api/v1/engagement/scores").json()
    assert [a["account_id"] for a in scores["accounts"]] == ["A1", "A3"]
    top = (
        clients["viewer"]
        .get("/api/v1/engagement/scores", params={"list_id": key_list, "limit": 1})
        .json()
    )
    assert [a["account_id"] for a in top["accounts"]] == ["A1"]


def test_one_account_over_the_api(clients: dict[str, TestClient]) -> None:
    doc = clients["viewer"].get("/api/v1/accounts/A1", params={"limit": 2}).json()
    assert doc["account"]["name"] == "Acme" and len(doc["journey"]["events"]) == 2
    assert doc["journey"]["total"] == 9 and doc["pipeline"]["channels"][0]["channel"] == "email"
    assert clients["fr"].get("/api/v1/accounts/A2").status_code == 404
    assert clients["viewer"].get("/api/v1/accounts/nope").status_code == 404
    assert clients["viewer"].get("/api/v1/accounts/A1", params={"limit": 0}).status_code == 422


def test_weights_are_read_by_all_and_changed_by_writers(
    clients: dict[str, TestClient], cmo_token: dict[str, str]
) -> None:
    client = api(clients, cmo_token)
    before = clients["sales"].get("/api/v1/engagement/weights").json()
    bad = client.put("/api/v1/engagement/weights", json={"points": {"visit": -1}})
    assert bad.status_code == 400 and "the points of visit (-1.0)" in bad.json()["message"]
    assert clients["viewer"].get("/api/v1/engagement/weights").json() == before
    viewer = clients["viewer"]
    refused = viewer.put(
        "/api/v1/engagement/weights", json={"reset": True}, headers={"X-CSRF-Token": csrf(viewer)}
    )
    assert refused.status_code == 403
    done = client.put("/api/v1/engagement/weights", json={"points": {"visit": 2}, "note": "x"})
    assert done.status_code == 200 and done.json()["version"] == len(before["history"]) + 1
    reset = client.put("/api/v1/engagement/weights", json={"reset": True}).json()
    assert all(w["points"] == w["default"] for w in reset["weights"])


def test_the_hub_page_lists_the_lists_and_offers_the_form_to_writers(
    clients: dict[str, TestClient], key_list: int
) -> None:
    viewer = clients["viewer"].get("/accounts", params={"lang": "en"}).text
    assert "Target account lists" in viewer and f"/accounts/lists/{key_list}?lang=en" in viewer
    assert 'action="/accounts/lists?lang=en"' not in viewer
    assert 'href="/accounts/A1?lang=en"' in viewer  # target accounts link to their page
    cmo = clients["cmo"].get("/accounts", params={"lang": "fr"}).text
    assert 'action="/accounts/lists?lang=fr"' in cmo and "Créer une liste" in cmo
    assert 'enctype="multipart/form-data"' in cmo and "tier 1" in cmo


def test_creating_a_list_from_the_page_keeps_what_was_typed_when_refused(
    clients: dict[str, TestClient],
) -> None:
    client = clients["cmo"]
    token = csrf(client)
    fields = {
        "csrf_token": token,
        "name": "From the page",
        "sales_owner": "Sam",
        "marketing_owner": "Mia",
        "account_ids": "A1\nGHOST",
    }
    refused = client.post("/accounts/lists?lang=en", data=fields, files={"csv": ("", b"")})
    assert refused.status_code == 422
    assert "1 account id(s) not in the workspace&#39;s accounts table: GHOST" in refused.text
    assert "A1\nGHOST</textarea>" in refused.text and 'value="From the page"' in refused.text
    names = [r["name"] for r in client.get("/api/v1/target-lists").json()["lists"]]
    assert "From the page" not in names
    csv = ("ids.csv", b"account_id\nA3\n", "text/csv")
    done = client.post(
        "/accounts/lists?lang=en", data={**fields, "account_ids": "A1"}, files={"csv": csv}
    )
    assert done.status_code == 303 and "done=created" in done.headers["location"]
    page = client.get(done.headers["location"]).text
    assert "List created." in page and "From the page" in page
    forged = client.post("/accounts/lists", data={**fields, "csrf_token": "x"})
    assert forged.status_code == 403


def test_the_list_pages_for_sales_and_marketing(
    clients: dict[str, TestClient], key_list: int
) -> None:
    base = f"/accounts/lists/{key_list}"
    sales = clients["sales"].get(base, params={"lang": "en"}).text
    assert "Key — Sales view" in sales and "Next best accounts" in sales
    assert "Sales meetings" in sales and "missed" in sales and "Beta" in sales
    assert f'action="{base}/goals?lang=en"' in sales  # sales co-owns the goals
    viewer = clients["viewer"].get(base, params={"lang": "en"}).text
    assert f'action="{base}/goals?lang=en"' not in viewer  # a viewer only reads
    fr = clients["fr"].get(base, params={"lang": "fr"}).text
    assert "Votre accès est restreint" in fr and "Beta" not in fr
    marketing = clients["viewer"].get(f"{base}/marketing", params={"lang": "fr"}).text
    assert "Composantes du score" in marketing and "Manques de couverture" in marketing
    assert "Aucune suite commerciale" in marketing and "email" in marketing
    assert clients["viewer"].get("/accounts/lists/999999").status_code == 404


def test_goal_and_delete_forms(clients: dict[str, TestClient], cmo_token: dict[str, str]) -> None:
    client = clients["cmo"]
    made = (
        api(clients, cmo_token)
        .post(
            "/api/v1/target-lists",
            json={"name": "Forms", "sales_owner": "S", "marketing_owner": "M"},
        )
        .json()
    )
    base = f"/accounts/lists/{made['id']}"
    token = csrf(client)
    bad = client.post(
        f"{base}/goals?lang=en",
        data={
            "csrf_token": token,
            "metric": "engaged_coverage",
            "period": "2026-Q2",
            "target": "75",
        },
    )
    assert bad.status_code == 400 and "0.75 for 75%" in bad.text and 'value="75"' in bad.text
    good = client.post(
        f"{base}/goals?lang=en",
        data={
            "csrf_token": token,
            "metric": "engaged_coverage",
            "period": "2026-Q2",
            "target": "0.75",
        },
    )
    assert good.status_code == 303
    assert "Goal saved." in client.get(good.headers["location"]).text
    dropped = client.post(
        f"{base}/goals/delete?lang=en",
        data={"csrf_token": token, "metric": "engaged_coverage", "period": "2026-Q2"},
    )
    assert dropped.status_code == 303 and "done=goal_deleted" in dropped.headers["location"]
    absent = client.post(
        f"{base}/members/remove?lang=en", data={"csrf_token": token, "account_ids": "A9"}
    )
    assert absent.status_code == 400 and "does not hold A9" in absent.text
    assert "A9</textarea>" in absent.text  # what was typed stays in the remove form
    added = client.post(
        f"{base}/members?lang=en", data={"csrf_token": token, "from_targets": "1", "tier": "tier 1"}
    )
    assert added.status_code == 303
    removed = client.post(
        f"{base}/members/remove?lang=en", data={"csrf_token": token, "account_ids": "A4"}
    )
    assert removed.status_code == 303
    listed = api(clients, cmo_token).get(f"/api/v1/target-lists/{made['id']}").json()
    assert listed["account_ids"] == ["A1"]
    kept = client.post(f"{base}/delete?lang=en", data={"csrf_token": token})
    assert kept.status_code == 400 and "tick the box" in kept.text
    gone = client.post(f"{base}/delete?lang=en", data={"csrf_token": token, "confirm": "1"})
    assert gone.status_code == 303 and gone.headers["location"].startswith("/accounts?")
    assert client.post(f"{base}/delete", data={"csrf_token": token}).status_code == 404


def test_the_account_page_and_the_weights_form(clients: dict[str, TestClient]) -> None:
    page = clients["viewer"].get("/accounts/A1", params={"lang": "en"}).text
    assert "Acme" in page and "Account journey" in page and "Engagement score" in page
    assert "2026-04-01 00:00" in page  # t1, in Paris time
    assert clients["fr"].get("/accounts/A2").status_code == 404
    viewer_form = clients["viewer"].get("/accounts/weights", params={"lang": "en"}).text
    assert "Weights in force" in viewer_form and 'name="w_webinar"' not in viewer_form
    client = clients["cmo"]
    form = client.get("/accounts/weights", params={"lang": "en"}).text
    assert 'name="w_webinar"' in form
    token = csrf(client)
    bad = client.post("/accounts/weights?lang=en", data={"csrf_token": token, "w_visit": "-3"})
    assert bad.status_code == 400 and "the points of visit (-3.0)" in bad.text
    unchanged = client.post(
        "/accounts/weights?lang=en",
        data={"csrf_token": token, "w_visit": "1", "half_life_days": "30", "window_days": "180"},
    )
    assert unchanged.status_code == 400 and "no weight to change" in unchanged.text
    done = client.post(
        "/accounts/weights?lang=fr",
        data={
            "csrf_token": token,
            "w_webinar": "14,5",
            "w_visit": "1",
            "half_life_days": "30",
            "window_days": "90",
            "note": "test",
        },
    )
    assert done.status_code == 303
    assert "Poids enregistrés." in client.get(done.headers["location"]).text
    weights = client.get("/api/v1/engagement/weights").json()
    assert next(w for w in weights["weights"] if w["component"] == "webinar")["points"] == 14.5
    assert weights["history"][0]["note"] == "test" and weights["window_days"] == 90
    assert weights["half_life_days"] == 30.0


def test_sales_plans_its_lists_and_goals_over_the_api(
    app_root: Path, clients: dict[str, TestClient]
) -> None:
    sales = clients["sales"]
    headers = {"X-CSRF-Token": csrf(sales)}
    body = {"name": "Sales plan", "sales_owner": "Sam", "marketing_owner": "Mia"}
    made = sales.post("/api/v1/target-lists", json={**body, "account_ids": ["A1"]}, headers=headers)
    assert made.status_code == 201, made.text
    base = f"/api/v1/target-lists/{made.json()['id']}"
    goal = {"metric": "meetings", "period": "2026-Q2", "target": 3}
    assert sales.put(f"{base}/goals", json=goal, headers=headers).status_code == 200
    goals = clients["viewer"].get(f"{base}/goals").json()["goals"]
    assert [(g["metric"], g["period"], g["target"]) for g in goals] == [("meetings", "2026-Q2", 3)]
    with metadata(open_workspace(app_root)) as meta:
        read = accounts.create_token(meta, "sales@acme.test", "read", name="r", actor="t").secret
        with pytest.raises(ForbiddenError, match="cannot hold a token of scope 'write'"):
            accounts.create_token(meta, "sales@acme.test", "write", name="w", actor="t")
    reader = api(clients, {"Authorization": f"Bearer {read}"})
    assert reader.get(base).status_code == 200
    refused = reader.put(f"{base}/goals", json={**goal, "target": 5})
    assert refused.status_code == 403 and "needs the 'plan' permission" in refused.text
    assert reader.post("/api/v1/target-lists", json=body).status_code == 403
    assert sales.get(f"{base}/goals").json()["goals"][0]["target"] == 3  # nothing changed
    assert sales.delete(base, headers=headers).status_code in (200, 204)


def test_sales_plans_from_the_page_forms(clients: dict[str, TestClient]) -> None:
    sales = clients["sales"]
    hub = sales.get("/accounts", params={"lang": "en"}).text
    assert 'action="/accounts/lists?lang=en"' in hub
    token = csrf(sales)
    fields = {
        "csrf_token": token,
        "name": "Sales page plan",
        "sales_owner": "Sam",
        "marketing_owner": "Mia",
        "account_ids": "A1",
    }
    forged = sales.post("/accounts/lists?lang=en", data={**fields, "csrf_token": "x"})
    assert forged.status_code == 403 and "CSRF" in forged.text
    done = sales.post("/accounts/lists?lang=en", data=fields, files={"csv": ("", b"")})
    assert done.status_code == 303 and "done=created" in done.headers["location"]
    lists = sales.get("/api/v1/target-lists").json()["lists"]
    made = next(r for r in lists if r["name"] == "Sales page plan")
    base = f"/accounts/lists/{made['id']}"
    goal = {"csrf_token": token, "metric": "meetings", "period": "2026-Q4", "target": "4"}
    saved = sales.post(f"{base}/goals?lang=en", data=goal)
    assert saved.status_code == 303 and "Goal saved." in sales.get(saved.headers["location"]).text
    for name in ("finance", "viewer"):
        client = clients[name]
        theirs = {**goal, "csrf_token": csrf(client), "target": "8"}
        assert client.post(f"{base}/goals?lang=en", data=theirs).status_code == 403
        assert client.post("/accounts/lists?lang=en", data={**fields, **theirs}).status_code == 403
    goals = sales.get(f"/api/v1/target-lists/{made['id']}/goals").json()["goals"]
    assert [(g["period"], g["target"]) for g in goals] == [("2026-Q4", 4)]


def test_the_account_page_explains_the_plan_permission(clients: dict[str, TestClient]) -> None:
    en = clients["sales"].get("/account", params={"lang": "en"}).text
    assert "plan (edit target account lists, their goals and the engagement weights)" in en
    assert "read (see pages" in en and "write (" not in en
    fr = clients["sales"].get("/account", params={"lang": "fr"}).text
    assert "plan (modifier les listes de comptes cibles, leurs objectifs" in fr
    finance = clients["finance"].get("/account", params={"lang": "en"}).text
    assert "plan (" not in finance and "read (see pages" in finance
