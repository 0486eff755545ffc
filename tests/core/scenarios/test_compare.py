"""Alternatives side by side: ranking, recommendation and the constructive no."""

from __future__ import annotations

import numpy as np
import pytest

from pilotage.core.scenarios.compare import Candidate, decide, money, risk_of, roi_draws
from pilotage.core.scenarios.economics import economics_from_samples


def candidate(name: str, cost: float, mean: float, sd: float, seed: int) -> Candidate:
    draws = np.random.default_rng(seed).normal(mean, sd, 4000)
    return Candidate(name, economics_from_samples(cost, draws), roi_draws(cost, draws, 1.0))


def test_the_best_roi_is_recommended_and_the_other_gets_a_constructive_no() -> None:
    event = candidate("Regional event", 80_000, 90_000, 40_000, 1)  # ROI ~ +12 %
    webinars = candidate("Six webinars", 30_000, 60_000, 15_000, 2)  # ROI ~ +100 %
    d = decide([event, webinars])
    assert d.recommended == "Six webinars"
    no, yes = d.verdicts  # in the proposals' order
    assert yes.recommended and yes.rank == 1 and yes.better_alternative is None
    assert not no.recommended and no.rank == 2
    assert no.better_alternative == "Six webinars"
    assert no.probability_better is not None and no.probability_better > 0.8
    assert no.text_en.startswith("No to Regional event (80 k€): expected ROI +")
    assert "Better: Six webinars (30 k€)" in no.text_en
    assert no.text_fr.startswith("Non à Regional event (80 k€) : ROI attendu +")
    assert "Mieux : Six webinars (30 k€)" in no.text_fr
    assert yes.text_en.startswith("Yes to Six webinars (30 k€): expected ROI +")
    assert "80 % interval" in yes.text_en and "intervalle à 80 %" in yes.text_fr
    assert d.summary_en == "Recommended: Six webinars."


def test_when_nothing_pays_back_the_better_alternative_is_keeping_the_budget() -> None:
    a = candidate("A", 100_000, 60_000, 10_000, 3)
    b = candidate("B", 50_000, 20_000, 5_000, 4)
    d = decide([a, b])
    assert d.recommended is None
    assert all(not v.recommended and v.better_alternative is None for v in d.verdicts)
    assert "keep the budget" in d.verdicts[0].text_en
    assert "garder le budget" in d.verdicts[0].text_fr
    assert d.summary_en.startswith("No proposal is recommended")


def test_a_single_proposal_is_a_go_or_no_go() -> None:
    assert decide([candidate("Go", 10_000, 20_000, 1_000, 5)]).recommended == "Go"
    assert decide([candidate("Stop", 10_000, 5_000, 1_000, 6)]).recommended is None


def test_ties_on_roi_go_to_the_safer_proposal() -> None:
    sure = np.full(4000, 150.0)  # ROI +50 % always
    coin = np.tile([0.0, 300.0], 2000)  # ROI +50 % on average, a loss half the time
    risky = Candidate("risky", economics_from_samples(100, coin), roi_draws(100, coin, 1.0))
    safe = Candidate("safe", economics_from_samples(100, sure), roi_draws(100, sure, 1.0))
    assert risky.economics.roi == safe.economics.roi
    d = decide([risky, safe])
    assert d.recommended == "safe"
    assert d.verdicts[0].risk == "high" and d.verdicts[1].risk == "low"


def test_bad_comparisons_are_refused() -> None:
    a = candidate("A", 100, 200, 10, 9)
    with pytest.raises(ValueError, match="at least one"):
        decide([])
    with pytest.raises(ValueError, match="names must differ"):
        decide([a, a])
    short = Candidate("B", a.economics, a.roi_draws[:10])
    with pytest.raises(ValueError, match="same number of draws"):
        decide([a, short])


@pytest.mark.parametrize(
    ("p_negative", "risk"), [(0.0, "low"), (0.099, "low"), (0.1, "medium"), (0.3, "high")]
)
def test_risk_levels(p_negative: float, risk: str) -> None:
    assert risk_of(p_negative) == risk


@pytest.mark.parametrize(
    ("x", "lang", "text"),
    [
        (80_000, "en", "80 k€"),
        (7_600, "fr", "7,6 k€"),
        (1_250_000, "en", "1.2 M€"),
        (950, "en", "950 €"),
        (-20_000, "en", "−20 k€"),
    ],
)
def test_money(x: float, lang: str, text: str) -> None:
    assert money(x, "EUR", lang) == text
