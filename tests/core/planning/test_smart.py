"""The SMART check: one verdict and one reason per letter, in French and English."""

from __future__ import annotations

import datetime

import pytest

from pilotage.core.planning.forecast import Forecast
from pilotage.core.planning.smart import SmartInput, is_smart, smart_check

D = datetime.date


def forecast(probability: float) -> Forecast:
    return Forecast("trend", 24, 5000.0, 4800.0, 5200.0, probability, ())


def spec(**changes) -> SmartInput:
    base = {
        "metric_id": "mqls",
        "scope": {"country": ["FR"]},
        "target": 5000.0,
        "direction": "at_least",
        "start": D(2026, 1, 1),
        "deadline": D(2026, 12, 31),
        "kind": "marketing",
        "parent": ("Chiffre d'affaires 2026", "business"),
        "not_sliced": (),
        "history_months": 24,
        "has_data": True,
        "forecast": forecast(0.5),
        "final": None,
        "today": D(2026, 11, 25),
    }
    return SmartInput(**{**base, **changes})


def verdicts(s: SmartInput, lang="en") -> dict[str, tuple[bool | None, str]]:
    return {v.letter: (v.passed, v.reason) for v in smart_check(s, lang)}


def test_a_smart_objective_passes_every_letter_with_its_reason() -> None:
    checked = smart_check(spec(), "en")
    assert is_smart(checked)
    found = verdicts(spec())
    assert found["S"] == (True, "One metric (MQLs) on one scope (country = FR).")
    assert found["M"][1] == (
        "Registry metric computed from the data (people, touchpoints); "
        "24 complete months of history."
    )
    assert found["A"][1] == (
        "Forecast at the deadline 5,000 [4,800; 5,200]; target 5,000: 50% chance, plausible."
    )
    assert found["R"] == (True, "Contributes to the business objective 'Chiffre d'affaires 2026'.")
    assert found["T"] == (True, "From 2026-01-01 to 2026-12-31 (36 days left).")


def test_french_reasons() -> None:
    found = verdicts(spec(), "fr")
    assert found["A"][1] == (
        "Prévision à l'échéance 5\u202f000 [4\u202f800 ; 5\u202f200] ; cible 5\u202f000 : "
        "50\u00a0% de chances, plausible."
    )
    assert found["R"][1] == "Contribue à l'objectif business « Chiffre d'affaires 2026 »."


@pytest.mark.parametrize(
    ("changes", "letter", "passed", "fragment"),
    [
        ({"not_sliced": ("segment",)}, "S", False, "cannot be cut by segment"),
        ({"metric_id": "stage_conversion"}, "M", False, "not a computed metric"),
        ({"has_data": False, "forecast": None}, "M", False, "No data for this metric yet"),
        ({"forecast": forecast(0.04)}, "A", False, "beyond what history and trend"),
        ({"history_months": 2, "forecast": None}, "A", None, "2 months of history, 3 needed"),
        ({"final": 5100.0}, "A", True, "Deadline passed: 5,100 against a target of 5,000"),
        ({"final": 4000.0}, "A", False, "Deadline passed"),
        ({"parent": None}, "R", False, "Not linked to a business objective"),
        ({"parent": ("MQL", "marketing")}, "R", False, "'MQL' is not a business objective"),
        ({"kind": "business", "parent": None}, "R", True, "marketing objectives cascade"),
        ({"deadline": D(2025, 12, 1)}, "T", False, "does not follow the start"),
        ({"today": D(2027, 1, 10)}, "T", True, "passed 10 days ago"),
    ],
)
def test_each_letter_fails_with_a_reason(changes, letter, passed, fragment) -> None:
    found = verdicts(spec(**changes))
    assert found[letter][0] is passed and fragment in found[letter][1]
    assert not is_smart(smart_check(spec(**changes), "en")) or passed
