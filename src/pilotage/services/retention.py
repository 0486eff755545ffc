"""Retention: cohort tables by acquisition period or channel (N-day, unbounded, bracket;
people or revenue) and the shifted-beta-geometric curve projecting future retention; for
the CLI, the API and the journey page."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pilotage.core.attribution.milestones import Level
from pilotage.core.journey import curve as cv
from pilotage.core.journey import retention as rx
from pilotage.core.journey.steps import parse_matcher
from pilotage.core.kpis.periods import Period, period_label
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.errors import UsageError
from pilotage.services.funnels import check_names, data_end, local_end, tables_of
from pilotage.services.tables import as_float, as_int

#: Rows by attribute listed one by one.
MAX_ROWS = 30
#: Largest rows given their own curve (each fit takes a fraction of a second).
FITTED_ROWS = 4


class RetentionRequest(BaseModel):
    """A retention table, as the API's query or body and the CLI's options."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start_event: str = Field(default="conversion:signup", max_length=500)
    return_event: str = Field(default="product", max_length=500)
    level: Level = "person"
    unit: rx.Unit = "month"
    periods: int = Field(default=12, ge=1, le=rx.MAX_PERIODS)
    mode: rx.RetentionMode = "n_day"
    brackets: str | None = Field(default=None, max_length=200, description="e.g. 1-1,2-4")
    rows: rx.RowsBy = "period"
    cohort_grain: Period = "month"
    measure: rx.Measure = "people"
    revenue_source: rx.RevenueSource = "orders"
    start: datetime.date | None = None
    end: datetime.date | None = None
    filters: dict[str, list[str]] = Field(default_factory=dict)
    as_of: datetime.datetime | None = None

    def spec(self) -> rx.RetentionSpec:
        return rx.RetentionSpec(
            parse_matcher(self.start_event),
            parse_matcher(self.return_event),
            level=self.level,
            unit=self.unit,
            periods=self.periods,
            mode=self.mode,
            brackets=parse_brackets(self.brackets),
            rows=self.rows,
            cohort_grain=self.cohort_grain,
            measure=self.measure,
            revenue_source=self.revenue_source,
            start=self.start,
            end=self.end,
            filters=tuple((k, tuple(v)) for k, v in sorted(self.filters.items())),
            as_of=local_end(self.as_of) if self.as_of else None,
        )


def retention_request(**options: object) -> RetentionRequest:
    """A request from flat options, bad values reported as usage errors."""
    try:
        return RetentionRequest.model_validate({k: v for k, v in options.items() if v is not None})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise UsageError(
            f"{where}: {first['msg']}",
            fix="mode n_day|unbounded|bracket, unit day|week|month, rows period|channel|"
            "segment|tier|country, measure people|revenue, 1 to 60 periods",
        ) from exc


def parse_brackets(text: str | None) -> tuple[tuple[int, int], ...]:
    """``1-1,2-4,5-12`` as ((1, 1), (2, 4), (5, 12))."""
    if not text:
        return ()
    out = []
    for part in text.split(","):
        first, dash, last = part.strip().partition("-")
        if not (first.strip().isdigit() and (not dash or last.strip().isdigit())):
            raise UsageError(f"bracket {part!r} is not FIRST-LAST", fix="write e.g. 1-1,2-4,5-12")
        out.append((int(first), int(last) if dash else int(first)))
    return tuple(out)


class Cell(BaseModel):
    model_config = ConfigDict(frozen=True)

    column: str
    #: Members whose period (or bracket) is over: the denominator.
    eligible: int
    #: Members retained, or the revenue of the period (measure revenue).
    value: float
    rate: float | None


class CohortRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str
    members: int
    cells: list[Cell]


class CurvePoint(BaseModel):
    model_config = ConfigDict(frozen=True)

    period: int
    observed: float | None
    fitted: float | None
    low: float | None
    high: float | None


class CurveFit(BaseModel):
    """The sBG: churn at each period with probability ~ Beta(alpha, beta)."""

    model_config = ConfigDict(frozen=True)

    key: str
    members: float
    alpha: float
    beta: float
    alpha_ci: tuple[float | None, float | None]
    beta_ci: tuple[float | None, float | None]
    log_likelihood: float
    converged: bool
    #: Projected survival at the curve's last period.
    projected: float
    points: list[CurvePoint] = Field(default_factory=list)


class RetentionResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    start_event: str
    return_event: str
    level: Level
    unit: rx.Unit
    mode: rx.RetentionMode
    measure: rx.Measure
    rows_by: rx.RowsBy
    data_end: datetime.datetime | None
    columns: list[str]
    rows: list[CohortRow]
    average: CohortRow
    curve: CurveFit | None
    row_curves: list[CurveFit]
    interval: float
    rule: str


def retention(
    store: AnalyticsStore, settings: WorkspaceSettings, spec: rx.RetentionSpec
) -> RetentionResult:
    tables = tables_of(store, settings)
    check_names(tables, [spec.start_event, spec.return_event])
    end = spec.as_of or data_end(tables, [spec.start_event.source, spec.return_event.source])
    columns = _columns(spec)
    if end is None:
        return _result(spec, None, columns, [], [], None, [])
    cohort = rx.members(tables, spec, local_end(end), settings.timezone, tables.dialect)
    with cohort.cache() as cached:
        sizes = tables.rows(rx.horizons(cached))
        act = rx.activity(tables, spec, cached, tables.dialect)
        with act.cache() as activity:
            last_rows = tables.rows(rx.lasts(activity))
            if spec.measure == "revenue":
                counts = tables.rows(rx.revenue(tables, spec, cached, tables.dialect))
            elif spec.mode == "bracket":
                counts = tables.rows(rx.in_brackets(activity, spec.brackets))
            elif spec.mode == "n_day":
                counts = tables.rows(rx.active(activity, spec.periods))
            else:
                counts = []
    keys = _keys(spec, sizes)
    table = [_row(spec, key, columns, sizes, counts, last_rows, key) for key in keys]
    average = _row(spec, "all", columns, sizes, counts, last_rows, None)
    horizon = min(2 * spec.periods, 2 * rx.MAX_PERIODS)
    pooled = _fit("all", _lasts(last_rows, None), horizon)
    per_row = [
        fitted
        for key in sorted(keys, key=lambda k: -_size(sizes, k))[:FITTED_ROWS]
        if (fitted := _fit(key, _lasts(last_rows, key), horizon, points=False))
    ]
    return _result(spec, end, columns, table, per_row, pooled, [average])


def _columns(spec: rx.RetentionSpec) -> list[str]:
    if spec.mode == "bracket":
        return [f"{a}" if a == b else f"{a}-{b}" for a, b in spec.brackets]
    return [str(k) for k in range(spec.periods + 1)]


def _keys(spec: rx.RetentionSpec, sizes: list[dict[str, object]]) -> list[str]:
    totals: dict[str, int] = defaultdict(int)
    for r in sizes:
        totals[str(r["row"])] += as_int(r["members"])
    if spec.rows == "period":
        return sorted(totals)
    return sorted(totals, key=lambda k: (-totals[k], k))[:MAX_ROWS]


def _size(sizes: list[dict[str, object]], key: str) -> int:
    return sum(as_int(r["members"]) for r in _mine(sizes, key))


def _mine(rows: Iterable[dict[str, object]], key: str | None) -> list[dict[str, object]]:
    return [r for r in rows if key is None or str(r["row"]) == key]


def _row(
    spec: rx.RetentionSpec,
    key: str,
    columns: list[str],
    sizes: list[dict[str, object]],
    counts: list[dict[str, object]],
    last_rows: list[dict[str, object]],
    only: str | None,
) -> CohortRow:
    members_by_h: dict[int, int] = defaultdict(int)
    for r in _mine(sizes, only):
        members_by_h[as_int(r["horizon"])] += as_int(r["members"])

    def eligible(k: int) -> int:
        return sum(m for h, m in members_by_h.items() if h >= k)

    cells = []
    mine = _mine(counts, only)
    for index, column in enumerate(columns):
        if spec.mode == "bracket":
            last = spec.brackets[index][1]
            base = eligible(last)
            value = float(
                sum(
                    as_int(r["members"])
                    for r in mine
                    if as_int(r["bracket"]) == index and as_int(r["horizon"]) >= last
                )
            )
            rate = value / base if base else None
        elif spec.measure == "revenue":
            k = index
            base = eligible(k)
            value = sum(
                as_float(r["amount"])
                for r in mine
                if as_int(r["period"]) == k and as_int(r["horizon"]) >= k - _mrr_shift(spec)
            )
            first = sum(
                as_float(r["amount"])
                for r in mine
                if as_int(r["period"]) == 0 and as_int(r["horizon"]) >= k - _mrr_shift(spec)
            )
            rate = value / first if first else None
        elif spec.mode == "unbounded":
            k = index
            base = eligible(k)
            value = float(
                sum(
                    as_int(r["members"])
                    for r in _mine(last_rows, only)
                    if as_int(r["last"]) >= k and as_int(r["horizon"]) >= k
                )
            )
            rate = value / base if base else None
        else:
            k = index
            base = eligible(k)
            value = float(sum(as_int(r["members"]) for r in mine if as_int(r["period"]) == k))
            rate = value / base if base else None
        cells.append(Cell(column=column, eligible=base, value=value, rate=rate))
    label = key
    if spec.rows == "period" and only is not None:
        label = period_label(datetime.date.fromisoformat(key[:10]), spec.cohort_grain)
    return CohortRow(key=label, members=sum(members_by_h.values()), cells=cells)


def _mrr_shift(spec: rx.RetentionSpec) -> int:
    """MRR is read at a period's start, observed one period earlier than its end."""
    return 1 if spec.revenue_source == "subscriptions" else 0


def _lasts(rows: list[dict[str, object]], key: str | None) -> list[tuple[int, int, float]]:
    return [
        (as_int(r["last"]), as_int(r["horizon"]), as_float(r["members"])) for r in _mine(rows, key)
    ]


def _fit(
    key: str, rows: list[tuple[int, int, float]], horizon: int, points: bool = True
) -> CurveFit | None:
    data = cv.durations(rows)
    if data is None:
        return None
    fitted = cv.fit_curve(data, horizon)
    if fitted is None:
        return None
    e = fitted.estimate
    observed = cv.observed(data, horizon)
    return CurveFit(
        key=key,
        members=data.n_customers,
        alpha=e.params["alpha"],
        beta=e.params["beta"],
        alpha_ci=(e.ci_low["alpha"], e.ci_high["alpha"]),
        beta_ci=(e.ci_low["beta"], e.ci_high["beta"]),
        log_likelihood=e.log_likelihood,
        converged=e.convergence.converged,
        projected=fitted.survival[-1],
        points=[
            CurvePoint(
                period=t,
                observed=observed[t],
                fitted=fitted.survival[t],
                low=fitted.low[t],
                high=fitted.high[t],
            )
            for t in range(horizon + 1)
        ]
        if points
        else [],
    )


def _result(
    spec: rx.RetentionSpec,
    end: datetime.datetime | None,
    columns: list[str],
    rows: list[CohortRow],
    row_curves: list[CurveFit],
    curve: CurveFit | None,
    average: list[CohortRow],
) -> RetentionResult:
    empty = CohortRow(
        key="all",
        members=0,
        cells=[Cell(column=c, eligible=0, value=0.0, rate=None) for c in columns],
    )
    return RetentionResult(
        start_event=spec.start_event.text,
        return_event=spec.return_event.text,
        level=spec.level,
        unit=spec.unit,
        mode=spec.mode,
        measure=spec.measure,
        rows_by=spec.rows,
        data_end=end,
        columns=columns,
        rows=rows,
        average=average[0] if average else empty,
        curve=curve,
        row_curves=row_curves,
        interval=cv.INTERVAL,
        rule=_rule(spec),
    )


def _rule(spec: rx.RetentionSpec) -> str:
    mode = {
        "n_day": "active in that period",
        "unbounded": "active in that period or any later one",
        "bracket": "active at least once in the bracket",
    }[spec.mode]
    what = "revenue of the period over that of period 0" if spec.measure == "revenue" else mode
    return (
        f"Cohort: each {spec.level}'s first {spec.start_event.text}; retained: "
        f"{spec.return_event.text} events, {what}. Periods are {rx.UNITS[spec.unit] // 86_400}"
        "-day spans from the first event; a cell counts only members whose period is over. "
        "The curve is the shifted-beta-geometric model fitted on each member's last active "
        f"period, with a {round(cv.INTERVAL * 100)}% interval from its parameters' uncertainty."
    )
