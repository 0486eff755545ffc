"""Journey commands: ``funnel``, ``paths`` and ``retention``."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from pilotage.errors import UsageError
from pilotage.interfaces.cli.options import FormatOption, WorkspaceOption, emit, workspace_of
from pilotage.services.funnels import FunnelRequest, FunnelResult, funnel, funnel_request
from pilotage.services.paths import event_catalogue, paths, paths_request
from pilotage.services.retention import RetentionResult, retention, retention_request
from pilotage.services.workspaces import analytics

StartOption = Annotated[
    datetime.datetime | None,
    typer.Option("--from", "--start", formats=["%Y-%m-%d"], help="First day (local)."),
]
EndOption = Annotated[
    datetime.datetime | None,
    typer.Option("--to", "--end", formats=["%Y-%m-%d"], help="Last day (local)."),
]
LevelOption = Annotated[str, typer.Option(help="person or account.")]
FilterOption = Annotated[
    list[str] | None,
    typer.Option(
        "--filter",
        help="Keep owners with KEY=VALUE[,VALUE...]; keys channel (acquisition), segment, "
        "tier, country, account (repeatable).",
    ),
]
EVENT_HELP = (
    "SOURCE[.FIELD]:VALUE[|VALUE...], SOURCE one of touch, conversion, product, stage, "
    "order (e.g. conversion:signup, touch.channel:email, stage:mql)."
)


def register(app: typer.Typer) -> None:
    app.command("funnel")(funnel_command)
    app.command("paths")(paths_command)
    app.command("retention")(retention_command)


def _day(value: datetime.datetime | None) -> datetime.date | None:
    return value.date() if value else None


def _filters(values: list[str] | None) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for raw in values or []:
        key, sep, kept = raw.partition("=")
        if not sep or not key.strip() or not kept.strip():
            raise UsageError(f"--filter {raw!r} is not KEY=VALUE", fix="write e.g. segment=SMB")
        out.setdefault(key.strip(), []).extend(v.strip() for v in kept.split(",") if v.strip())
    return out


def _spec_file(path: Path) -> FunnelRequest:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(
            f"{path}: not a readable JSON file ({exc})", fix="give a JSON funnel"
        ) from exc
    try:
        return FunnelRequest.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise UsageError(
            f"{path}: {where}: {first['msg']}",
            fix="see the body of POST /api/v1/funnel in /openapi.json",
        ) from exc


def funnel_command(
    step: Annotated[
        list[str] | None,
        typer.Option("--step", "-s", help=f"A step, in order (repeat; 2 to 12). {EVENT_HELP}"),
    ] = None,
    spec: Annotated[
        Path | None, typer.Option(help="The whole funnel as JSON (the API's POST body).")
    ] = None,
    order: Annotated[str, typer.Option(help="ordered, strict or any.")] = "ordered",
    window: Annotated[
        str | None,
        typer.Option(help="Conversion window from the entry [30d; lifecycle stages: 365d]."),
    ] = None,
    within: Annotated[
        list[str] | None, typer.Option(help="STEP=DURATION: step reached within it of the entry.")
    ] = None,
    min_gap: Annotated[
        list[str] | None, typer.Option(help="STEP=DURATION: at least this after the step before.")
    ] = None,
    max_gap: Annotated[
        list[str] | None, typer.Option(help="STEP=DURATION: at most this after the step before.")
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option(help="EVENT[@A-B]: remove owners with it between steps A and B."),
    ] = None,
    level: LevelOption = "person",
    by: Annotated[
        str | None,
        typer.Option(
            help="Breakdown: channel (acquisition), segment, tier, country, first_touch, "
            "last_touch."
        ),
    ] = None,
    start: StartOption = None,
    end: EndOption = None,
    grain: Annotated[str, typer.Option(help="Trend by day, week, month, quarter, year.")] = "month",
    where: FilterOption = None,
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Conversion through a sequence of events, with in-progress entrants, Wilson
    intervals, a breakdown and the time to convert (default: the lifecycle stages)."""
    if spec is not None:
        if step:
            raise UsageError("give --spec or --step, not both", fix="keep one")
        request = _spec_file(spec)
    else:
        request = funnel_request(
            step or [],
            order=order,
            window=window,
            within=within or [],
            min_gap=min_gap or [],
            max_gap=max_gap or [],
            exclude=exclude or [],
            level=level,
            breakdown=by,
            start=_day(start),
            end=_day(end),
            grain=grain,
            filters=_filters(where),
        )
    chosen = request.spec()
    ws = workspace_of(workspace)
    with analytics(ws) as store:
        result = funnel(store, ws.settings, chosen)
    columns = [
        "group",
        "step",
        "event",
        "reached",
        "in_progress",
        "dropped",
        "conversion",
        "low",
        "high",
        "of_entered",
        "median_days_from_previous",
    ]
    emit(result, fmt, _funnel_rows(result), columns)


def _funnel_rows(result: FunnelResult) -> list[dict[str, Any]]:
    rows = []
    for group in [result.total, *result.groups]:
        for s in group.steps:
            median = s.median_seconds_from_previous
            rows.append(
                {
                    "group": group.value,
                    "step": s.index,
                    "event": s.name,
                    "reached": s.reached,
                    "in_progress": s.in_progress,
                    "dropped": s.dropped,
                    "conversion": _round(s.conversion.rate if s.conversion else None),
                    "low": _round(s.conversion.low if s.conversion else None),
                    "high": _round(s.conversion.high if s.conversion else None),
                    "of_entered": _round(s.of_entered),
                    "median_days_from_previous": _round(
                        median / 86_400 if median is not None else None, 2
                    ),
                }
            )
    return rows


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def paths_command(
    target: Annotated[
        str | None,
        typer.Option(help=f"The conversion ending a path ('' : none). {EVENT_HELP}"),
    ] = "stage:customer",
    source: Annotated[
        list[str] | None,
        typer.Option("--source", help="Sources on the paths (repeat) [touch, conversion]."),
    ] = None,
    touch_label: Annotated[str, typer.Option(help="Name touches by channel or touch_type.")] = (
        "channel"
    ),
    level: LevelOption = "person",
    steps: Annotated[int, typer.Option(help="Last events shown per path (1 to 12).")] = 5,
    lookback: Annotated[str, typer.Option(help="Events this long before the end.")] = "90d",
    keep_repeats: Annotated[
        bool, typer.Option(help="Keep an event repeated in a row (default: once).")
    ] = False,
    top: Annotated[int, typer.Option(help="Paths listed each way.", min=1, max=100)] = 10,
    around: Annotated[
        list[str] | None, typer.Option(help="Show the next and previous steps of EVENT (repeat).")
    ] = None,
    events: Annotated[
        bool, typer.Option("--events", help="List the event names the workspace holds.")
    ] = False,
    start: StartOption = None,
    end: EndOption = None,
    where: FilterOption = None,
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """The most frequent paths to conversion and to drop-off, path lengths, and the
    steps around an event."""
    ws = workspace_of(workspace)
    if events:
        with analytics(ws) as store:
            catalogue = event_catalogue(store, ws.settings)
        listed = [{"source": s, "event": e} for s, names in catalogue.events.items() for e in names]
        emit(catalogue, fmt, listed, ["source", "event"])
        return
    request = paths_request(
        target=target or "",
        sources=source or ["touch", "conversion"],
        touch_label=touch_label,
        level=level,
        steps=steps,
        lookback=lookback,
        keep_repeats=keep_repeats,
        top=top,
        around=around or [],
        start=_day(start),
        end=_day(end),
        filters=_filters(where),
    )
    spec = request.spec()
    chosen = request.events_around()
    with analytics(ws) as store:
        result = paths(store, ws.settings, spec, top=request.top, around=chosen)
    rows: list[dict[str, Any]] = []
    for kind, listed_paths in (
        ("conversion", result.to_conversion),
        ("drop-off", result.to_drop_off),
    ):
        for rank, p in enumerate(listed_paths, start=1):
            rows.append(
                {
                    "kind": kind,
                    "rank": rank,
                    "path": " > ".join(p.events),
                    "count": p.converters if kind == "conversion" else p.dropped,
                    "share": _round(p.share),
                }
            )
    for view in result.views:
        for rank, s in enumerate(view.steps, start=1):
            rows.append(
                {
                    "kind": f"{view.direction} of {view.event}",
                    "rank": rank,
                    "path": s.event,
                    "count": s.occurrences,
                    "share": _round(s.share),
                }
            )
    emit(result, fmt, rows, ["kind", "rank", "path", "count", "share"])


def retention_command(
    start_event: Annotated[
        str, typer.Option(help=f"The event that starts a cohort (first one). {EVENT_HELP}")
    ] = "conversion:signup",
    return_event: Annotated[str, typer.Option(help="The event that counts as a return.")] = (
        "product"
    ),
    level: LevelOption = "person",
    unit: Annotated[str, typer.Option(help="day (1 d), week (7 d) or month (30 d).")] = "month",
    periods: Annotated[int, typer.Option(help="Columns 0..N (1 to 60).")] = 12,
    mode: Annotated[str, typer.Option(help="n_day, unbounded or bracket.")] = "n_day",
    brackets: Annotated[
        str | None, typer.Option(help="Bracket columns FIRST-LAST,... (mode bracket).")
    ] = None,
    rows: Annotated[
        str, typer.Option(help="Cohort rows: period, channel, segment, tier, country.")
    ] = "period",
    cohort_grain: Annotated[
        str, typer.Option(help="Rows by week, month, quarter or year of acquisition.")
    ] = "month",
    measure: Annotated[str, typer.Option(help="people or revenue.")] = "people",
    revenue_source: Annotated[
        str, typer.Option(help="orders or subscriptions (MRR; level account).")
    ] = "orders",
    start: StartOption = None,
    end: EndOption = None,
    where: FilterOption = None,
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Cohort retention table and the shifted-beta-geometric curve projecting it."""
    request = retention_request(
        start_event=start_event,
        return_event=return_event,
        level=level,
        unit=unit,
        periods=periods,
        mode=mode,
        brackets=brackets,
        rows=rows,
        cohort_grain=cohort_grain,
        measure=measure,
        revenue_source=revenue_source,
        start=_day(start),
        end=_day(end),
        filters=_filters(where),
    )
    chosen = request.spec()
    ws = workspace_of(workspace)
    with analytics(ws) as store:
        result = retention(store, ws.settings, chosen)
    emit(result, fmt, *_retention_rows(result))


def _retention_rows(result: RetentionResult) -> tuple[list[dict[str, Any]], list[str]]:
    columns = ["cohort", "members", *result.columns]
    out = []
    for row in [*result.rows, result.average]:
        line: dict[str, Any] = {"cohort": row.key, "members": row.members}
        for cell in row.cells:
            line[cell.column] = _round(cell.rate, 3)
        out.append(line)
    return out, columns
