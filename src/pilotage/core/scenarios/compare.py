"""Alternatives side by side: a ranking, a recommendation, and for every proposal not
retained the constructive "no" that names the better alternative.

Proposals are ranked by expected ROI, which compares euros put to work whatever the size of
each proposal (the net gain is shown next to it). The best one is recommended only when it is
more likely than not to pay back (P(ROI > 0) >= 0.5); otherwise the better alternative is to
keep the budget. "Ahead in x % of the simulations" is P(ROI of the better > ROI of this one)
over independent draws of the two estimates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from pilotage.core.mmm.transforms import F64
from pilotage.core.scenarios.economics import Economics

Risk = Literal["low", "medium", "high"]
RISK_FR: dict[Risk, str] = {"low": "faible", "medium": "moyen", "high": "élevé"}
#: Below this P(ROI > 0) a proposal is not recommended even when it ranks first.
MIN_PROBABILITY = 0.5
_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF"}


def risk_of(probability_negative: float) -> Risk:
    """Low under a 10 % chance of losing money, high from 30 %."""
    if probability_negative < 0.10:
        return "low"
    return "medium" if probability_negative < 0.30 else "high"


@dataclass(frozen=True)
class Candidate:
    name: str
    economics: Economics
    roi_draws: F64  # (n,) (return x margin - cost) / cost per draw


@dataclass(frozen=True)
class Verdict:
    name: str
    rank: int  # 1 = best expected ROI
    recommended: bool
    risk: Risk
    better_alternative: str | None  # None when recommended, or when keeping the budget is
    probability_better: float | None  # P(the better alternative's ROI > this one's)
    text_en: str
    text_fr: str


@dataclass(frozen=True)
class Decision:
    recommended: str | None
    verdicts: tuple[Verdict, ...]  # in the proposals' order
    summary_en: str
    summary_fr: str


def money(x: float, currency: str, lang: str) -> str:
    """``80 k€``, ``1.2 M€`` (``1,2 M€`` in French), ``950 €``."""
    symbol = _SYMBOLS.get(currency, currency)
    sign = "−" if x < 0 else ""
    v = abs(x)
    if v >= 1e6:
        body = f"{v / 1e6:.1f} M"
    elif v >= 1e4:
        body = f"{v / 1e3:.0f} k"
    elif v >= 1e3:
        body = f"{v / 1e3:.1f} k"
    else:
        body = f"{v:.0f} "
    if lang == "fr":
        body = body.replace(".", ",")
    return f"{sign}{body}{symbol}"


def pct(x: float, sign: bool = False) -> str:
    s = ("+" if x > 0 else "−" if x < 0 else "") if sign else ("−" if x < 0 else "")
    return f"{s}{abs(x) * 100:.0f} %"


def _payback(e: Economics, lang: str) -> str:
    if e.payback_months is None:
        return (
            f"pas de retour dans les {e.months} mois"
            if lang == "fr"
            else f"no payback within {e.months} months"
        )
    months = f"{e.payback_months:.1f}".replace(".", "," if lang == "fr" else ".")
    return f"retour en {months} mois" if lang == "fr" else f"payback in {months} months"


def _yes(c: Candidate, currency: str, lang: str) -> str:
    e = c.economics
    assert e.roi is not None and e.roi_low is not None and e.roi_high is not None
    p = e.probability_roi_positive or 0.0
    cost = money(e.cost, currency, lang)
    risk = risk_of(1.0 - p)
    if lang == "fr":
        return (
            f"Oui à {c.name} ({cost}) : ROI attendu {pct(e.roi, True)} (intervalle à 80 % "
            f"{pct(e.roi_low, True)} à {pct(e.roi_high, True)}), {pct(p)} de chances d'un ROI "
            f"positif, {_payback(e, lang)} ; risque {RISK_FR[risk]}."
        )
    return (
        f"Yes to {c.name} ({cost}): expected ROI {pct(e.roi, True)} (80 % interval "
        f"{pct(e.roi_low, True)} to {pct(e.roi_high, True)}), {pct(p)} chance that ROI > 0, "
        f"{_payback(e, lang)}; {risk} risk."
    )


def _no(
    c: Candidate, better: Candidate | None, ahead: float | None, currency: str, lang: str
) -> str:
    e = c.economics
    assert e.roi is not None
    lose = 1.0 - (e.probability_roi_positive or 0.0)
    cost = money(e.cost, currency, lang)
    if lang == "fr":
        head = (
            f"Non à {c.name} ({cost}) : ROI attendu {pct(e.roi, True)}, "
            f"{pct(lose)} de risque de perte."
        )
        if better is None or ahead is None:
            return head + (
                " Mieux : garder le budget, aucune proposition n'a plus d'une chance sur deux "
                "d'être rentable."
            )
        b = better.economics
        assert b.roi is not None
        return head + (
            f" Mieux : {better.name} ({money(b.cost, currency, lang)}), ROI attendu "
            f"{pct(b.roi, True)}, devant dans {pct(ahead)} des simulations."
        )
    head = (
        f"No to {c.name} ({cost}): expected ROI {pct(e.roi, True)}, {pct(lose)} chance of a loss."
    )
    if better is None or ahead is None:
        return head + " Better: keep the budget, no proposal is more likely than not to pay back."
    b = better.economics
    assert b.roi is not None
    return head + (
        f" Better: {better.name} ({money(b.cost, currency, lang)}), expected ROI "
        f"{pct(b.roi, True)}, ahead in {pct(ahead)} of the simulations."
    )


def decide(candidates: Sequence[Candidate], currency: str = "EUR") -> Decision:
    """Rank, recommend and explain; every candidate needs a cost > 0 and draws of equal size."""
    if not candidates:
        raise ValueError("nothing to compare: give at least one proposal")
    names = [c.name for c in candidates]
    if len(set(names)) != len(names):
        raise ValueError(f"proposal names must differ: {names}")
    sizes = {c.roi_draws.size for c in candidates}
    if len(sizes) != 1 or any(c.economics.roi is None for c in candidates):
        raise ValueError("every proposal needs a cost > 0 and the same number of draws")
    order = sorted(
        range(len(candidates)),
        key=lambda k: (
            -(candidates[k].economics.roi or 0.0),
            -(candidates[k].economics.probability_roi_positive or 0.0),
            k,
        ),
    )
    best = candidates[order[0]]
    fine = (best.economics.probability_roi_positive or 0.0) >= MIN_PROBABILITY
    verdicts: list[Verdict | None] = [None] * len(candidates)
    for rank, k in enumerate(order, start=1):
        c = candidates[k]
        p_neg = 1.0 - (c.economics.probability_roi_positive or 0.0)
        if rank == 1 and fine:
            verdicts[k] = Verdict(
                c.name,
                rank,
                True,
                risk_of(p_neg),
                None,
                None,
                _yes(c, currency, "en"),
                _yes(c, currency, "fr"),
            )
            continue
        better = best if fine else None
        ahead = float(np.mean(best.roi_draws > c.roi_draws)) if better is not None else None
        verdicts[k] = Verdict(
            c.name,
            rank,
            False,
            risk_of(p_neg),
            None if better is None else better.name,
            ahead,
            _no(c, better, ahead, currency, "en"),
            _no(c, better, ahead, currency, "fr"),
        )
    done = tuple(v for v in verdicts if v is not None)
    if fine:
        summary_en = f"Recommended: {best.name}."
        summary_fr = f"Recommandé : {best.name}."
    else:
        summary_en = "No proposal is recommended: none is more likely than not to pay back."
        summary_fr = (
            "Aucune proposition recommandée : aucune n'a plus d'une chance sur deux d'être "
            "rentable."
        )
    return Decision(best.name if fine else None, done, summary_en, summary_fr)


def roi_draws(cost: float, draws: F64, margin: float) -> F64:
    """(n,) ROI per draw of the return."""
    return np.asarray((draws * margin - cost) / cost, dtype=np.float64)
