"""The words around an estimate: its basis, its warnings, the comparison's notes."""

from __future__ import annotations

from pilotage.core.scenarios.explain import comparison_notes, dec, history_basis
from pilotage.core.scenarios.pooling import ProgramRecord, pool_programs

POOL = pool_programs(
    [
        ProgramRecord("e1", "e1", "events", 20_000, 30_000),
        ProgramRecord("e2", "e2", "events", 40_000, 20_000),
        ProgramRecord("w1", "w1", "webinars", 3_000, 9_000),
    ]
)


def test_history_basis_names_the_programs_and_warns_about_size() -> None:
    (en, fr), warnings = history_basis("events", 30_000, 1, POOL, "EUR")
    assert en.startswith("2 past 'events' programs: 0.83 per euro observed")
    assert fr.startswith("2 programmes 'events' passés : 0,83 par euro observé")
    assert warnings == []
    _, (warning,) = history_basis("events", 100_000, 1, POOL, "EUR")
    assert warning[0].startswith("100 k€ per program is 2.5x the largest past 'events' program")
    assert "2,5 fois" in warning[1]
    # split over units, each program is within range again
    assert history_basis("events", 100_000, 4, POOL, "EUR")[1] == []


def test_an_unseen_type_says_it_draws_on_all_programs() -> None:
    (en, fr), _ = history_basis("podcast", 5_000, 1, POOL, "EUR")
    assert en.startswith("no past 'podcast' program with a cost: estimated from all 3 programs")
    assert fr.startswith("aucun programme 'podcast' passé avec un coût")


def test_comparison_notes() -> None:
    notes = comparison_notes("pipeline", "linear", POOL, {"history", "mix_model"}, "caution")
    en = [n[0] for n in notes]
    assert en[0].startswith("history: pipeline credited to campaigns by the 'linear' model")
    assert any("incremental revenue" in n for n in en)
    assert any("convergence is 'caution'" in n for n in en)
    assert "pipeline attribué" in notes[0][1]
    single = pool_programs([ProgramRecord("a", "a", "A", 1, 2), ProgramRecord("b", "b", "B", 1, 1)])
    assumed = comparison_notes("revenue", "last", single, {"history"}, None)
    assert any("assumed (coefficient of variation 1)" in n[0] for n in assumed)
    assert comparison_notes("revenue", "last", None, {"stated"}, None) == []


def test_decimals_follow_the_language() -> None:
    assert dec(1.234, "en") == "1.23" and dec(1.234, "fr") == "1,23"
