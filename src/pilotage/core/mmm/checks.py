"""Checks before (and right after) fitting, explained in plain words, French and English.

Before: channels whose spend moves together (collinear), channels whose spend barely varies,
channels the data cannot identify (too few active weeks, spend that follows the trend and
seasons). After: ROAS results that restate the prior rather than the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from pilotage.core.mmm.baseline import fourier_basis, trend_basis, year_fraction
from pilotage.core.mmm.design import WeeklyData
from pilotage.core.mmm.transforms import F64

CheckCode = Literal[
    "collinear", "low_variation", "not_identifiable", "prior_driven", "negative_baseline"
]
COLLINEAR_CORR = 0.9
COLLINEAR_R2 = 0.9  # spend explained by the other channels together (variance inflation 10)
MIN_VARIATION = 0.1  # coefficient of variation of weekly spend
MIN_ACTIVE_WEEKS = 8
BASELINE_R2 = 0.9  # spend explained by trend + seasonality
PRIOR_DRIVEN_RATIO = 0.7  # posterior sd of log ROAS / prior sd


@dataclass(frozen=True)
class Finding:
    code: CheckCode
    channels: tuple[str, ...]
    value: float
    en: str
    fr: str

    def text(self, lang: str = "en") -> str:
        return self.fr if lang == "fr" else self.en


def _pct(x: float) -> str:
    return f"{100 * x:.0f} %"


def pre_fit_checks(data: WeeklyData) -> list[Finding]:
    out: list[Finding] = []
    x = data.spend
    names = data.channels
    sd = x.std(axis=0)
    mean = x.mean(axis=0)
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            if sd[i] == 0 or sd[j] == 0:
                continue
            r = float(np.corrcoef(x[:, i], x[:, j])[0, 1])
            if abs(r) >= COLLINEAR_CORR:
                a, b = names[i], names[j]
                out.append(
                    Finding(
                        "collinear",
                        (a, b),
                        r,
                        f"{a} and {b} spend moved together week after week (correlation "
                        f"{r:.2f}): the model cannot tell their effects apart. Vary one without "
                        "the other for a few weeks, or analyse them as one channel.",
                        f"Les dépenses {a} et {b} ont évolué ensemble semaine après semaine "
                        f"(corrélation {r:.2f}) : le modèle ne peut pas séparer leurs effets. "
                        "Faites varier l'un sans l'autre quelques semaines, ou regroupez-les.",
                    )
                )
    out += _explained_by_others(x, names, {c for f in out for c in f.channels})
    basis = np.column_stack(
        [
            np.ones(data.n_weeks),
            trend_basis(data.n_weeks, 0),
            fourier_basis(year_fraction(list(data.weeks)), 2),
        ]
    )
    for k, name in enumerate(names):
        active = int((x[:, k] > 0).sum())
        cv = float(sd[k] / mean[k]) if mean[k] > 0 else 0.0
        if active < MIN_ACTIVE_WEEKS:
            out.append(
                Finding(
                    "not_identifiable",
                    (name,),
                    float(active),
                    f"{name} spent in only {active} weeks: too few to measure its effect; "
                    "its ROAS will mostly reflect the prior.",
                    f"{name} n'a dépensé que {active} semaines : trop peu pour mesurer son "
                    "effet ; son ROAS reflétera surtout l'hypothèse de départ.",
                )
            )
        elif cv < MIN_VARIATION:
            out.append(
                Finding(
                    "low_variation",
                    (name,),
                    cv,
                    f"{name} spend barely changed from week to week (variation {_pct(cv)}): "
                    "the data hold little information on what more or less spend would do. "
                    "Plan a few weeks at a clearly higher or lower level.",
                    f"Les dépenses {name} ont peu varié d'une semaine à l'autre (variation "
                    f"{_pct(cv)}) : les données disent peu de chose de l'effet d'un budget "
                    "plus fort ou plus faible. Prévoyez quelques semaines nettement au-dessus "
                    "ou en dessous.",
                )
            )
        else:
            r2 = _r2_on(basis, x[:, k])
            if r2 >= BASELINE_R2:
                out.append(
                    Finding(
                        "not_identifiable",
                        (name,),
                        r2,
                        f"{name} spend follows the trend and the seasons ({_pct(r2)} of its "
                        "variation): its effect cannot be told apart from the baseline.",
                        f"Les dépenses {name} suivent la tendance et les saisons ({_pct(r2)} "
                        "de leurs variations) : leur effet se confond avec la demande de base.",
                    )
                )
    return out


def _explained_by_others(x: F64, names: tuple[str, ...], flagged: set[str]) -> list[Finding]:
    """Channels whose spend the other channels' spend reproduces (several channels moving
    together, which pairwise correlations miss); channels already named are skipped."""
    out: list[Finding] = []
    if len(names) < 3:
        return out
    for k, name in enumerate(names):
        if name in flagged or x[:, k].std() == 0:
            continue
        others = np.column_stack([np.ones(len(x)), np.delete(x, k, axis=1)])
        r2 = _r2_on(others, x[:, k])
        if r2 >= COLLINEAR_R2:
            out.append(
                Finding(
                    "collinear",
                    (name,),
                    r2,
                    f"{name} spend is almost a mix of the other channels' spend ({_pct(r2)} of "
                    "its variation): the model cannot tell its effect from theirs. Vary it on "
                    "its own for a few weeks.",
                    f"Les dépenses {name} se déduisent presque de celles des autres canaux "
                    f"({_pct(r2)} de leurs variations) : le modèle ne peut pas isoler son effet. "
                    "Faites-le varier seul quelques semaines.",
                )
            )
    return out


def _r2_on(basis: F64, y: F64) -> float:
    coef, *_ = np.linalg.lstsq(basis, y, rcond=None)
    resid = y - basis @ coef
    total = float(((y - y.mean()) ** 2).sum())
    return 1.0 - float((resid**2).sum()) / total if total > 0 else 1.0


def prior_driven(channels: tuple[str, ...], roas_draws: F64, prior_sigma: F64) -> list[Finding]:
    """Channels whose posterior of log ROAS is nearly as wide as its prior."""
    out: list[Finding] = []
    post_sd = np.log(np.maximum(roas_draws, 1e-12)).std(axis=0)
    for k, name in enumerate(channels):
        ratio = float(post_sd[k] / prior_sigma[k])
        if ratio >= PRIOR_DRIVEN_RATIO:
            out.append(
                Finding(
                    "prior_driven",
                    (name,),
                    ratio,
                    f"{name}: the data narrowed the ROAS range you gave by only "
                    f"{_pct(max(0.0, 1 - ratio))}; the result mostly restates that assumption.",
                    f"{name} : les données n'ont resserré la fourchette de ROAS donnée que de "
                    f"{_pct(max(0.0, 1 - ratio))} ; le résultat reprend surtout cette hypothèse.",
                )
            )
    return out


NEGATIVE_BASELINE_SHARE = 0.05  # of fitted weeks


def negative_baseline(baseline: F64) -> list[Finding]:
    """A fitted baseline (KPI without media, posterior mean per week) below zero in more
    than a few weeks: media is credited with more than the whole KPI."""
    share = float(np.mean(baseline < 0))
    if share <= NEGATIVE_BASELINE_SHARE:
        return []
    return [
        Finding(
            "negative_baseline",
            (),
            share,
            f"the KPI without media comes out negative in {_pct(share)} of the weeks: the "
            "model credits media with more than everything; give narrower ROAS ranges or add "
            "the controls that drive demand.",
            f"Le KPI sans média ressort négatif sur {_pct(share)} des semaines : le modèle "
            "attribue aux médias plus que le total ; resserrez les fourchettes de ROAS ou "
            "ajoutez les variables qui font la demande.",
        )
    ]
