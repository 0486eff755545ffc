"""Experiments service: files in, result objects out; the demo's true lifts inside the
intervals; every bad input refused with its reason; links and saved lifts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from pilotage.core.experiments.analysis import analyze
from pilotage.core.experiments.options import AnalysisSettings
from pilotage.data.demo.config import DemoConfig, build_calendar
from pilotage.data.demo.experiments import build_experiments
from pilotage.data.metadata.models import Initiative
from pilotage.data.metadata.store import MetadataStore
from pilotage.errors import InputError, NotFoundError, UsageError
from pilotage.services.experiment_data import file_data
from pilotage.services.experiment_results import link_experiment, save_lifts, stored_lifts
from pilotage.services.experiments import analyze_data, analyze_file

AGG = "experiment_id,variant,units,conversions,value_sum,value_sum_squares\n"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    """The demo's experiments at full scale (20 000 units in the onboarding test)."""
    table, truth = build_experiments(build_calendar(DemoConfig()), np.random.default_rng(42), 1.0)
    path = tmp_path_factory.mktemp("demo") / "experiments.parquet"
    pq.write_table(table, path)
    return path, truth


def write(tmp_path: Path, text: str, name: str = "exp.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("difference", ["absolute", "relative"])
def test_demo_true_lifts_lie_inside_the_intervals(demo, difference: str) -> None:
    path, truth = demo
    settings = AnalysisSettings(difference=difference)  # type: ignore[arg-type]
    for experiment_id, known in truth.items():
        result = analyze_file(path, "conversion", settings, experiment_id=experiment_id)
        control_rate = known["control_conversion_rate"]
        lifts = known["true_relative_lift"]
        for v in result.variants:
            if v.is_control:
                continue
            rel = lifts[v.variant] if isinstance(lifts, dict) else lifts
            true = rel if difference == "relative" else control_rate * rel
            assert v.ci_low is not None and v.ci_high is not None
            assert v.ci_low < true < v.ci_high, (experiment_id, v.variant, true, v)
        broken = result.srm_p_value < 0.001
        assert broken == known["sample_ratio_mismatch"], experiment_id
        assert (result.decision == "check_data") == broken


def test_demo_readouts_in_both_languages(demo) -> None:
    path, _ = demo
    onboarding = analyze_file(
        path,
        "conversion",
        AnalysisSettings(difference="relative"),
        experiment_id="EXP-ONBOARDING-CHECKLIST",
        lang="fr",
    )
    assert onboarding.decision == "ship" and onboarding.winner == "B"
    assert onboarding.readout == onboarding.readout_fr
    assert onboarding.readout_fr.startswith("La variante B augmente le taux de conversion de ")
    assert (
        "IC 95\u00a0%" in onboarding.readout_fr
        and "Décision : déployer B." in onboarding.readout_fr
    )
    assert onboarding.readout_en.startswith("Variant B increases the conversion rate by ")
    assert (
        "95% CI" in onboarding.readout_en and "Decide only at the planned" in onboarding.readout_en
    )
    email = analyze_file(path, "conversion", AnalysisSettings(), experiment_id="EXP-EMAIL-SUBJECT")
    assert "does not match the plan" in email.readout_en and "A 50.0% / B 50.0%" in email.readout_en
    assert "ne correspond pas au plan" in email.readout_fr


def test_demo_value_metrics_and_cuped(demo) -> None:
    path, _ = demo
    mean = analyze_file(path, "mean", AnalysisSettings(), experiment_id="EXP-ONBOARDING-CHECKLIST")
    # value = conversion x spend: the pre-period predicts it only a little (~2 %).
    assert mean.cuped is not None and mean.cuped.variance_reduction > 0.01
    assert "CUPED" in mean.readout_en
    ratio = analyze_file(path, "ratio", AnalysisSettings(), experiment_id="EXP-PRICING-PAGE")
    assert ratio.cuped is None and ratio.variants[0].mean > 400  # lognormal(ln 500, 0.6) mean
    seq = analyze_file(
        path, "conversion", AnalysisSettings(method="sequential"), experiment_id="EXP-DEMO-FORM"
    )
    assert "valid at every look" in seq.readout_en
    assert "Holm" in seq.readout_en  # two comparisons, corrected


def test_summary_has_exactly_the_issue_fields(tmp_path: Path) -> None:
    path = write(tmp_path, AGG + "T,A,1000,200,,\nT,B,1000,250,,\n")
    doc = analyze_file(path, "conversion", AnalysisSettings()).summary().model_dump()
    assert list(doc) == [
        "experiment_id",
        "metric",
        "srm_p_value",
        "decision",
        "readout",
        "variants",
    ]
    assert list(doc["variants"][1]) == [
        "variant",
        "units",
        "mean",
        "lift_abs",
        "lift_rel",
        "ci_low",
        "ci_high",
        "p_value",
        "chance_to_win",
        "risk",
    ]
    assert round(doc["variants"][1]["p_value"], 5) == 0.00731


def test_merging_files_equals_the_union(tmp_path: Path) -> None:
    one = file_data(write(tmp_path, AGG + "T,A,600,100,,\nT,B,500,130,,\n", "a.csv"))
    two = file_data(write(tmp_path, AGG + "T,A,400,100,,\nT,B,500,120,,\n", "b.csv"))
    whole = file_data(write(tmp_path, AGG + "T,A,1000,200,,\nT,B,1000,250,,\n", "c.csv"))
    # Row counts and the Poisson squares of aggregate rows are per-row approximations; the
    # sums every conversion and mean test reads pool exactly.
    exact = ("units", "conv", "conv_sq", "value", "value_sq", "conv_value")
    for left, right, total in zip(one.variants, two.variants, whole.variants, strict=True):
        merged = left + right
        assert all(getattr(merged, f) == getattr(total, f) for f in exact)
    pooled = [a + b for a, b in zip(one.variants, two.variants, strict=True)]
    merged_p = analyze(pooled, ["conversion"], AnalysisSettings())[0].comparisons[0].p_value
    whole_p = analyze(list(whole.variants), ["conversion"], AnalysisSettings())[0]
    assert merged_p == whole_p.comparisons[0].p_value


@pytest.mark.parametrize(
    ("text", "error", "message"),
    [
        ("experiment_id,units,conversions\nT,10,1\n", InputError, "required column 'variant'"),
        ("experiment_id,variant,conversions\nT,A,1\n", InputError, "unit_id"),
        (AGG + "T,A,100,10,,\n", UsageError, "one variant only"),
        (AGG + "T,A,-5,1,,\nT,B,10,1,,\n", InputError, "line 2"),
        (AGG + "T,A,10,11,,\nT,B,10,1,,\n", InputError, "more conversions than units"),
        (AGG + "T,A,10,1,,\nU,B,10,1,,\n", UsageError, "holds 2 experiments: T, U"),
        (
            "experiment_id,variant,unit_id,converted\nT,A,u1,2\nT,B,u2,0\n",
            UsageError,
            "use --metric count",
        ),
    ],
)
def test_bad_input_names_its_fix(tmp_path: Path, text: str, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        analyze_file(write(tmp_path, text), "conversion", AnalysisSettings())


def test_negative_units_message_names_the_column(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        analyze_file(
            write(tmp_path, AGG + "T,A,-5,1,,\nT,B,10,1,,\n"), "conversion", AnalysisSettings()
        )
    assert "column 'units'" in str(caught.value)


def test_control_not_found_and_missing_value_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "experiment_id,variant,units,conversions\nT,A,100,10\nT,B,100,12\n")
    with pytest.raises(UsageError, match="control 'Z' not found") as caught:
        analyze_file(path, "conversion", AnalysisSettings(), control="Z")
    assert "use --control with one of: A, B" in str(caught.value)
    with pytest.raises(UsageError, match="missing columns for --metric mean"):
        analyze_file(path, "mean", AnalysisSettings())
    squares = write(tmp_path, AGG + "T,A,100,10,500,\nT,B,100,12,600,\n", "sq.csv")
    with pytest.raises(UsageError, match="value_sum_squares is missing"):
        analyze_file(squares, "mean", AnalysisSettings())
    with pytest.raises(NotFoundError, match="no experiment 'X'"):
        analyze_file(path, "conversion", AnalysisSettings(), experiment_id="X")


def test_planned_share_from_the_file_and_from_the_caller(tmp_path: Path) -> None:
    text = AGG.replace("\n", ",planned_share\n") + "T,A,3400,340,,,0.34\nT,B,6600,660,,,0.66\n"
    data = file_data(write(tmp_path, text))
    result = analyze_data(data, ["conversion"], AnalysisSettings())[0]
    assert result.srm_p_value == pytest.approx(1.0) and result.split_planned
    forced = analyze_data(data, ["conversion"], AnalysisSettings(), shares={"A": 0.5, "B": 0.5})[0]
    assert forced.srm_p_value < 1e-100 and forced.decision == "check_data"


def test_link_and_save_lifts(tmp_path: Path) -> None:
    meta = MetadataStore.open(f"sqlite:///{tmp_path / 'meta.db'}")
    meta.upgrade()
    with meta.session() as session:
        initiative = Initiative(
            name="Onboarding checklist",
            kind="product",
            owner="cmo@acme.test",
            created_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
        )
        session.add(initiative)
        session.flush()
        initiative_id = initiative.id
    with pytest.raises(NotFoundError, match="no initiative 999"):
        link_experiment(meta, "T", 999, None, "test")
    link = link_experiment(meta, "T", initiative_id, "Email", "test")
    assert link.channel == "email"
    path = write(tmp_path, AGG + "T,A,1000,200,,\nT,B,1000,250,,\n")
    analysis = analyze_file(path, "conversion", AnalysisSettings())
    saved = save_lifts(meta, analysis, "test")
    assert len(saved.results) == 1
    lift = stored_lifts(meta, "T").results[0]
    assert lift.initiative_id == initiative_id and lift.channel == "email"
    assert lift.lift_abs == pytest.approx(0.05) and lift.decision == "ship"
    assert stored_lifts(meta, "other").results == []
    meta.close()


def test_a_plan_with_absurd_numbers_is_a_usage_error_not_a_crash() -> None:
    from pilotage.errors import UsageError
    from pilotage.services.experiment_plan import plan

    with pytest.raises(UsageError, match="cannot be computed"):
        plan(9.95e307, mde=-8.7e185, sd=6.2e191, daily_units=9.6e136, variants=9)
    with pytest.raises(UsageError, match="cannot be computed"):  # an infinite MDE
        plan(2.8e307, sd=1.7e308, units=2100, alternative="greater")


def test_an_experiment_id_with_a_control_character_is_refused(tmp_path) -> None:
    from pilotage.data.store import AnalyticsStore
    from pilotage.errors import UsageError
    from pilotage.services.experiment_data import workspace_data

    store = AnalyticsStore.open(tmp_path / "a.duckdb")
    with pytest.raises(UsageError, match="control character"):
        workspace_data(store, "6\x00x")
