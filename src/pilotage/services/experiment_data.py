"""Experiment data -> per-variant sufficient statistics, summed by the engine: the
workspace's ``experiments`` table, or a file read into an in-memory DuckDB."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

import ibis
import ibis.expr.types as ir

from pilotage.core.experiments.aggregate import to_sums, variant_sums, with_optional_columns
from pilotage.core.experiments.statistics import VariantSums
from pilotage.data.experiment_files import LINE, read_experiment_file
from pilotage.data.store import AnalyticsStore
from pilotage.errors import NotFoundError, UsageError, plain_text
from pilotage.services.tables import StoredTables, as_float


@dataclass(frozen=True)
class ExperimentData:
    """One experiment's variants (in file order; alphabetical in the workspace) with the
    rows an analysis must refuse: aggregate rows with more conversions than units, unit rows
    whose ``converted`` is not 0/1."""

    experiment_id: str
    variants: tuple[VariantSums, ...]
    bad_units: int
    non_binary: int
    first_exposure: datetime.datetime | None
    last_exposure: datetime.datetime | None
    source: str


def from_rows(rows: list[dict[str, object]], experiment_id: str, source: str) -> ExperimentData:
    mine = [r for r in rows if str(r["experiment_id"]) == experiment_id]
    if not mine:
        raise NotFoundError(f"no experiment {experiment_id!r} in {source}")
    by_order = sorted(
        mine,
        key=lambda r: (
            r["order"] if isinstance(r.get("order"), int | float) else 0,
            str(r["variant"]),
        ),
    )
    variants = tuple(to_sums(r, float(rank)) for rank, r in enumerate(by_order))
    firsts = [
        r["first_exposure"] for r in mine if isinstance(r["first_exposure"], datetime.datetime)
    ]
    lasts = [r["last_exposure"] for r in mine if isinstance(r["last_exposure"], datetime.datetime)]
    return ExperimentData(
        experiment_id=experiment_id,
        variants=variants,
        bad_units=int(sum(as_float(r["bad_units"]) for r in mine)),
        non_binary=int(sum(as_float(r["non_binary"]) for r in mine)),
        first_exposure=min(firsts) if firsts else None,
        last_exposure=max(lasts) if lasts else None,
        source=source,
    )


def _only_experiment(rows: list[dict[str, object]], source: str) -> str:
    ids = sorted({str(r["experiment_id"]) for r in rows})
    if not ids:
        raise UsageError(f"{source} holds no experiment rows", fix="check the file or table")
    if len(ids) > 1:
        raise UsageError(
            f"{source} holds {len(ids)} experiments: {', '.join(ids)}",
            fix="choose one with --experiment ID",
        )
    return ids[0]


def file_data(path: Path, experiment_id: str | None = None) -> ExperimentData:
    """Sums of ``path`` (CSV, JSON or Parquet), computed by an in-memory DuckDB."""
    table = read_experiment_file(path)
    con = ibis.duckdb.connect()
    try:
        t = with_optional_columns(con.create_table("experiment_rows", table))
        rows = _rows(con, variant_sums(t, order=t[LINE]))
    finally:
        con.disconnect()
    chosen = experiment_id or _only_experiment(rows, path.name)
    return from_rows(rows, chosen, path.name)


def workspace_data(store: AnalyticsStore, experiment_id: str) -> ExperimentData:
    """Sums of one experiment of the workspace, computed where the data lives."""
    plain_text(
        "experiment id",
        (experiment_id,),
        "give the experiment id as plain text (pilotage experiment analyze lists them)",
    )
    tables = StoredTables(store)
    t = tables["experiments"]
    expr = variant_sums(t.filter(t.experiment_id == experiment_id))
    rows = tables.rows(expr)
    if not rows:
        known = experiment_ids(store)
        raise NotFoundError(
            f"no experiment {experiment_id!r} in the workspace",
            fix=f"use one of: {', '.join(known)}" if known else "load the experiments table",
        )
    return from_rows(rows, experiment_id, "the workspace")


def experiment_ids(store: AnalyticsStore) -> list[str]:
    tables = StoredTables(store)
    t = tables["experiments"]
    rows = tables.rows(t.select("experiment_id").distinct().order_by("experiment_id"))
    return [str(r["experiment_id"]) for r in rows]


def all_workspace_data(store: AnalyticsStore) -> list[ExperimentData]:
    """Every experiment of the workspace, in one query."""
    tables = StoredTables(store)
    rows = tables.rows(variant_sums(tables["experiments"]))
    ids = sorted({str(r["experiment_id"]) for r in rows})
    return [from_rows(rows, i, "the workspace") for i in ids]


def _rows(con: ibis.BaseBackend, expr: ir.Table) -> list[dict[str, object]]:
    result: list[dict[str, object]] = con.to_pyarrow(expr).to_pylist()
    return result
