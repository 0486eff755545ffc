"""/api/v1/experiments and the experiments page: the CLI's objects, the plan, links and
saved lifts with their permissions (401 without credentials, 403 without the right), and
the readout in French and English."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from pilotage.data.metadata.models import Initiative
from pilotage.data.workspace import open_workspace
from pilotage.services import accounts
from pilotage.services.workspaces import metadata

if TYPE_CHECKING:
    from conftest import Server

DATA = (
    "experiment_id,variant,units,conversions,value_sum,value_sum_squares,planned_share\n"
    "EXP-T,A,1000,200,10000,600000,0.5\n"
    "EXP-T,B,1000,250,12000,700000,0.5\n"
)


@pytest.fixture(scope="module")
def tokens(server: Server) -> dict[str, dict[str, str]]:
    """Read, write and restricted tokens, once the experiment is uploaded."""
    writer = {"Authorization": f"Bearer {server.token('marketing', 'write')}"}
    loaded = server.client().post(
        "/api/v1/tables/experiments/imports",
        headers=writer,
        files={"file": ("experiments.csv", DATA.encode())},
    )
    assert loaded.status_code == 201, loaded.text
    with metadata(open_workspace(server.root)) as meta:
        accounts.add_user(
            meta,
            "fr-only@acme.test",
            "viewer",
            "pass-fr-only-1234",
            actor="test",
            restrictions={"country": ["FR"]},
        )
        restricted = accounts.create_token(meta, "fr-only@acme.test", "read", name="t", actor="t")
        with meta.session() as session:
            session.add(
                Initiative(
                    name="Pricing page",
                    kind="web",
                    owner="cmo@acme.test",
                    created_at=meta.now(),
                )
            )
    return {
        "read": {"Authorization": f"Bearer {server.token('viewer', 'read')}"},
        "write": writer,
        "restricted": {"Authorization": f"Bearer {restricted.secret}"},
    }


def test_analysis_is_the_cli_object_and_more(server: Server, tokens) -> None:
    answer = server.client().get(
        "/api/v1/experiments/analysis",
        params={"experiment": "EXP-T", "relative": "true", "lang": "fr"},
        headers=tokens["read"],
    )
    assert answer.status_code == 200, answer.text
    doc = answer.json()
    assert doc["decision"] == "ship" and doc["winner"] == "B" and doc["difference"] == "relative"
    assert doc["readout"] == doc["readout_fr"] and doc["readout"].startswith("La variante B")
    assert round(doc["variants"][1]["p_value"], 5) == 0.01683  # delta-method relative z-test
    assert doc["split_planned"] is True


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({}, 422),
        ({"experiment": "EXP-T", "method": "magic"}, 422),
        ({"experiment": "EXP-T", "alpha": 0.9}, 422),
        ({"experiment": "NOPE"}, 404),
        ({"experiment": "EXP-T", "control": "Z"}, 400),
    ],
)
def test_bad_analysis_parameters(server: Server, tokens, params, status: int) -> None:
    answer = server.client().get(
        "/api/v1/experiments/analysis", params=params, headers=tokens["read"]
    )
    assert answer.status_code == status, answer.text


def test_plan(server: Server, tokens) -> None:
    doc = (
        server.client()
        .get(
            "/api/v1/experiments/plan",
            params={"baseline": 0.2, "mde": 0.05, "daily_units": 100},
            headers=tokens["read"],
        )
        .json()
    )
    assert doc["units_per_variant"] == 1031 and doc["days"] == 21
    assert "sequential" in doc["warning_en"]


def test_permissions(server: Server, tokens) -> None:
    client = server.client()
    assert (
        client.get("/api/v1/experiments/analysis", params={"experiment": "EXP-T"}).status_code
        == 401
    )
    assert client.get("/api/v1/experiments/plan", params={"baseline": 0.2}).status_code == 401
    restricted = client.get(
        "/api/v1/experiments/analysis", params={"experiment": "EXP-T"}, headers=tokens["restricted"]
    )
    assert restricted.status_code == 403 and "restricted" in restricted.json()["message"]
    body = {"experiment_id": "EXP-T", "initiative_id": 1}
    assert (
        client.post("/api/v1/experiments/links", json=body, headers=tokens["read"]).status_code
        == 403
    )
    assert (
        client.post("/api/v1/experiments/results", json=body, headers=tokens["read"]).status_code
        == 403
    )


def test_link_save_and_list_lifts(server: Server, tokens) -> None:
    client = server.client()
    linked = client.post(
        "/api/v1/experiments/links",
        json={"experiment_id": "EXP-T", "initiative_id": 1, "channel": "paid_search"},
        headers=tokens["write"],
    )
    assert linked.status_code == 201, linked.text
    missing = client.post(
        "/api/v1/experiments/links",
        json={"experiment_id": "EXP-T", "initiative_id": 99},
        headers=tokens["write"],
    )
    assert missing.status_code == 404
    saved = client.post(
        "/api/v1/experiments/results",
        json={"experiment_id": "EXP-T", "metric": "mean"},
        headers=tokens["write"],
    )
    assert saved.status_code == 201, saved.text
    listed = client.get(
        "/api/v1/experiments/results", params={"experiment": "EXP-T"}, headers=tokens["read"]
    ).json()["results"]
    assert listed[-1]["metric"] == "mean" and listed[-1]["initiative_id"] == 1
    assert (
        listed[-1]["channel"] == "paid_search"
        and listed[-1]["analysed_by"] == "marketing@acme.test"
    )


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "fr",
            [
                "La variante B augmente le taux de conversion",
                "Chance de battre le témoin",
                "Règle de décision",
                "initiative n° 1",
            ],
        ),
        (
            "en",
            [
                "Variant B increases the conversion rate",
                "Chance to beat control",
                "Decision rule",
                "Decision: ship B.",
            ],
        ),
    ],
)
def test_the_page_shows_the_readout(server: Server, tokens, lang: str, words: list[str]) -> None:
    server.client().post(
        "/api/v1/experiments/links",
        json={"experiment_id": "EXP-T", "initiative_id": 1},
        headers=tokens["write"],
    )
    page = server.signed_in("viewer").get("/experiments", params={"lang": lang})
    assert page.status_code == 200
    for word in words:
        assert word in page.text, word
    assert "EXP-T" in page.text and "<script>" not in page.text
