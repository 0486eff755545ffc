"""pilotage clv fit / predict / validate and segments: JSON shapes, files, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pilotage.interfaces.cli.main import main

FIXTURES = Path(__file__).parents[2] / "fixtures" / "clv"
TRANSACTIONS = """customer_id,date,amount
a,2026-01-05,10
a,2026-01-20,30
a,2026-03-02,7
b,2026-01-12,20
b,2026-02-16,25
c,2026-01-19,9
d,2026-01-26,12
d,2026-02-23,8
"""


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    assert main(list(args)) == 0
    return json.loads(capsys.readouterr().out)


def test_fit_prints_exactly_the_documented_shape(capsys) -> None:
    doc = run_json(
        capsys,
        "clv",
        "fit",
        "--model",
        "bgnbd",
        "--summary",
        str(FIXTURES / "cdnow_sample_summary.csv"),
        "--format",
        "json",
    )
    assert set(doc) == {
        "model",
        "params",
        "std_errors",
        "log_likelihood",
        "n_customers",
        "converged",
        # beyond the six: the 95 % intervals and how the optimiser got there
        "ci_low",
        "ci_high",
        "convergence",
    }
    assert doc["model"] == "bgnbd" and list(doc["params"]) == ["r", "alpha", "a", "b"]
    assert round(doc["log_likelihood"], 1) == -9582.4 and doc["n_customers"] == 2357
    assert doc["converged"] is True
    assert doc["ci_low"]["r"] < doc["params"]["r"] < doc["ci_high"]["r"]
    assert doc["convergence"]["hessian_positive_definite"] is True
    assert doc["convergence"]["starts_agreeing"] >= 1


def test_gamma_gamma_says_how_many_customers_it_used(capsys) -> None:
    doc = run_json(
        capsys,
        "clv",
        "fit",
        "--model",
        "gamma_gamma",
        "--summary",
        str(FIXTURES / "cdnow_sample_summary.csv"),
        "--format",
        "json",
    )
    assert doc["n_customers"] == 946


def test_bgbb_and_sbg_from_files(capsys, tmp_path: Path) -> None:
    doc = run_json(
        capsys,
        "clv",
        "fit",
        "--model",
        "bgbb",
        "--summary",
        str(FIXTURES / "donations.csv"),
        "--format",
        "json",
    )
    assert round(doc["log_likelihood"], 1) == -33225.6
    durations = tmp_path / "d.csv"
    durations.write_text("T,churned,weight\n1,yes,369\n2,yes,163\n3,no,468\n", encoding="utf-8")
    doc = run_json(
        capsys, "clv", "fit", "--model", "sbg", "--summary", str(durations), "--format", "json"
    )
    assert set(doc["params"]) == {"alpha", "beta"}


def test_saved_model_predicts_one_row_per_customer(capsys, tmp_path: Path) -> None:
    model = tmp_path / "m.json"
    summary = str(FIXTURES / "cdnow_sample_summary.csv")
    assert (
        main(["clv", "fit", "--model", "pareto_nbd", "--summary", summary, "--save", str(model)])
        == 0
    )
    capsys.readouterr()
    doc = run_json(
        capsys,
        "clv",
        "predict",
        "--model-file",
        str(model),
        "--summary",
        summary,
        "--horizon",
        "39",
        "--draws",
        "5",
        "--format",
        "json",
    )
    assert doc["model"] == "pareto_nbd" and doc["spend_model"] == "gamma_gamma"
    rows = doc["customers"]
    assert len(rows) == 1030  # the file's distinct rows
    assert all(0 <= r["p_alive"] <= 1 for r in rows)
    assert all(r["ltv_p05"] <= r["ltv_p95"] for r in rows if r["ltv"] is not None)


def test_transactions_file_predict_and_validate(capsys, tmp_path: Path) -> None:
    file = tmp_path / "t.csv"
    file.write_text(TRANSACTIONS, encoding="utf-8")
    doc = run_json(
        capsys, "clv", "predict", "--transactions", str(file), "--draws", "3", "--format", "json"
    )
    assert [c["customer_id"] for c in doc["customers"]] == ["a", "b", "c", "d"]
    doc = run_json(
        capsys,
        "clv",
        "validate",
        "--transactions",
        str(file),
        "--calibration-end",
        "2026-02-01",
        "--format",
        "json",
    )
    assert doc["holdout_periods"] == 5 and doc["total_actual"] == 3
    assert {"mae", "tracking_error", "conditional_expectations", "chi_square"} <= set(doc)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("frequency,recency\n1,2\n", "required column 't' is missing"),
        ("frequency,recency,T\n-1,0,3\n", "negative frequency"),
        ("frequency,recency,T\n1,5,3\n", "recency > T"),
        ("frequency,recency,T\n2,0,3\n", "frequency > 0 with recency 0 is impossible"),
    ],
)
def test_bad_summary_exits_2_naming_line_and_column(capsys, tmp_path, text, message) -> None:
    file = tmp_path / "s.csv"
    file.write_text(text, encoding="utf-8")
    assert main(["clv", "fit", "--model", "bgnbd", "--summary", str(file)]) == 2
    err = capsys.readouterr().err
    assert message in err and "line" in err


def test_unknown_model_and_missing_spend(capsys, tmp_path) -> None:
    assert main(["clv", "fit", "--model", "nope", "--summary", "x.csv"]) == 2
    assert "unknown CLV model" in capsys.readouterr().err
    file = tmp_path / "s.csv"
    file.write_text("frequency,recency,T\n2,3,5\n", encoding="utf-8")
    assert main(["clv", "fit", "--model", "gamma_gamma", "--summary", str(file)]) == 2
    assert "positive mean spend" in capsys.readouterr().err


def test_identical_rows_are_distinct_customers(capsys, tmp_path: Path) -> None:
    """A summary with one row per customer repeats rows: every one is a customer."""
    file = tmp_path / "s.csv"
    file.write_text(
        "customer_id,frequency,recency,T\nc1,0,0,10\nc2,0,0,10\nc3,2,4,10\nc4,2,4,10\n",
        encoding="utf-8",
    )
    doc = run_json(
        capsys, "clv", "fit", "--model", "bgnbd", "--summary", str(file), "--format", "json"
    )
    assert doc["n_customers"] == 4
    doc = run_json(
        capsys, "clv", "predict", "--summary", str(file), "--draws", "2", "--format", "json"
    )
    assert [c["customer_id"] for c in doc["customers"]] == ["c1", "c2", "c3", "c4"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "customer_id,frequency,recency,T\nc1,0,0,3\nc1,1,2,3\n",
            "customer_id repeated (first on line 2)",
        ),
        ("customer_id,frequency,recency,T\nc1,0,0,3\n,1,2,3\n", "blank customer_id"),
        (
            "frequency,recency,T,pilotage_row\n0,0,3,1\n",
            "the column name 'pilotage_row' is reserved",
        ),
    ],
)
def test_summary_ids_are_checked(capsys, tmp_path: Path, text: str, message: str) -> None:
    file = tmp_path / "s.csv"
    file.write_text(text, encoding="utf-8")
    assert main(["clv", "fit", "--model", "bgnbd", "--summary", str(file)]) == 2
    assert message in capsys.readouterr().err


def test_validate_defaults_to_half_way(capsys, tmp_path: Path) -> None:
    file = tmp_path / "t.csv"
    file.write_text(TRANSACTIONS, encoding="utf-8")
    doc = run_json(capsys, "clv", "validate", "--transactions", str(file), "--format", "json")
    # 2026-01-05 to 2026-03-02: half-way is 2026-02-02 (a Monday, in week 4).
    assert doc["calibration_end"] == "2026-02-02"
    assert sum(p["actual"] for p in doc["tracking"]) == doc["tracking"][-1]["cumulative_actual"]


SUBSCRIPTIONS = """subscription_id,account_id,started_at,mrr,ended_at
s1,A1,2024-01-01T00:00:00Z,100,2024-06-10T00:00:00Z
s2,A2,2024-01-01T00:00:00Z,100,
s3,A3,2024-02-01T00:00:00Z,100,2024-03-01T00:00:00Z
s4,A4,2024-02-01T00:00:00Z,100,2025-02-01T00:00:00Z
s5,A5,2024-03-01T00:00:00Z,100,
"""


def test_sbg_fit_and_retention_from_the_workspace(capsys, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    assert main(["init", str(root)]) == 0
    path = tmp_path / "subscriptions.csv"
    path.write_text(SUBSCRIPTIONS, encoding="utf-8")
    assert main(["load", "subscriptions", str(path), "--workspace", str(root)]) == 0
    capsys.readouterr()
    args = [
        "--workspace",
        str(root),
        "--calibration-end",
        "2024-12-31",
        "--observed-from",
        "2024-01-01",
    ]
    doc = run_json(capsys, "clv", "retention", *args, "--format", "json")
    # A1 churned in month 6, A3 after exactly 1; A4 ends after the calibration end
    # (censored after 10 months), A2 after 11, A5 after 9.
    assert (doc["accounts"], doc["churned"], doc["censored"]) == (5, 2, 3)
    assert [c["survivors"] for c in doc["cohorts"]] == [
        [2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1],
        [2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
        [1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
    ]
    fit = run_json(
        capsys,
        "clv",
        "fit",
        "--model",
        "sbg",
        "--workspace",
        str(root),
        "--calibration-end",
        "2024-12-31",
        "--format",
        "json",
    )
    assert set(fit) == {
        "model",
        "params",
        "std_errors",
        "log_likelihood",
        "n_customers",
        "converged",
        # beyond the six: the 95 % intervals and how the optimiser got there
        "ci_low",
        "ci_high",
        "convergence",
    }
    assert fit["model"] == "sbg" and fit["n_customers"] == 5
    assert (
        main(
            [
                "clv",
                "fit",
                "--model",
                "sbg",
                "--workspace",
                str(root),
                "--save",
                str(tmp_path / "m.json"),
            ]
        )
        == 2
    )
    assert "not saved" in capsys.readouterr().err
