"""/api/v1/clv routes and the /clv page: the READ guard (401 without credentials), the CLI's
result objects, and the page in French and English."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Server


@pytest.mark.parametrize("path", ["/api/v1/clv/fit", "/api/v1/clv/segments"])
def test_needs_credentials(server: Server, path: str) -> None:
    assert server.client().get(path).status_code == 401
    bad = {"Authorization": "Bearer plt_not_a_token"}
    assert server.client().get(path, headers=bad).status_code == 401


def test_fit_answers_the_cli_shape(server: Server) -> None:
    token = server.token("viewer", "read")
    answer = server.client().get(
        "/api/v1/clv/fit",
        params={"model": "bgnbd", "unit": "days"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 200, answer.text
    doc = answer.json()
    assert set(doc) == {
        "model",
        "params",
        "std_errors",
        "log_likelihood",
        "n_customers",
        "converged",
    }
    assert doc["n_customers"] == 4  # p1, p2, p3 and the order's 'nobody'


def test_unknown_model_is_a_400(server: Server) -> None:
    client = server.signed_in("viewer")
    assert client.get("/api/v1/clv/fit", params={"model": "nope"}).status_code == 400


def test_segments_json(server: Server) -> None:
    doc = server.signed_in("finance").get("/api/v1/clv/segments", params={"unit": "days"}).json()
    assert doc["customers"] == 4 and {g["dimension"] for g in doc["groups"]} >= {
        "channel",
        "cohort",
    }


@pytest.mark.parametrize(("lang", "words"), [("fr", "Valeur client"), ("en", "Customer value")])
def test_clv_page_in_both_languages(server: Server, lang: str, words: str) -> None:
    page = server.signed_in("viewer").get("/clv", params={"lang": lang})
    assert page.status_code == 200 and words in page.text
    assert 'href="/clv?lang=' in page.text and "<script>" not in page.text
