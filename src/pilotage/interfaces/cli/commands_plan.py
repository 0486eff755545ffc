"""initiative and objective commands: rule zero made operational (no initiative launched
without its measurement plan and business case) and SMART objectives with their forecast."""

from __future__ import annotations

import datetime
import getpass
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from pilotage.core.kpis.credit import CreditModel
from pilotage.core.mmm.posterior import FittedModel
from pilotage.core.planning.metrics import Direction
from pilotage.core.planning.plans import MeasurementMethod
from pilotage.core.planning.smart import ObjectiveKind
from pilotage.data.metadata.audit import cli_actor
from pilotage.data.workspace import Workspace
from pilotage.errors import UsageError
from pilotage.interfaces.cli.options import FormatOption, WorkspaceOption, emit, workspace_of
from pilotage.interfaces.cli.output import OutputFormat
from pilotage.interfaces.formatting import Lang
from pilotage.jobs.scheduler import today_in
from pilotage.services.budget_plan import saved_model
from pilotage.services.initiative_evaluation import InitiativeEvaluation, MmmEvidence, mmm_evidence
from pilotage.services.initiatives import (
    InitiativeDetail,
    create_initiative,
    evaluate_initiative,
    get_initiative,
    list_initiatives,
    measure_initiative,
    move_initiative,
    update_case,
    update_plan,
)
from pilotage.services.objectives import (
    ObjectiveSpec,
    ObjectiveStatus,
    check_objective,
    create_objective,
    objective_status,
    objectives_status,
)
from pilotage.services.workspaces import analytics, metadata

initiative_app = typer.Typer(
    help="Initiatives: measurement plan, business case, approve, launch, evaluate.",
    no_args_is_help=True,
)
objective_app = typer.Typer(
    help="SMART objectives: create, check, progress and forecast.", no_args_is_help=True
)
_LIST_COLUMNS = [
    "id",
    "name",
    "kind",
    "status",
    "owner",
    "kpi",
    "evaluation_date",
    "cost",
    "expected_return",
    "expected_roi",
    "launchable",
    "verdict",
]
_OBJECTIVE_COLUMNS = [
    "id",
    "name",
    "kind",
    "metric_id",
    "target",
    "deadline",
    "value_to_date",
    "progress",
    "forecast",
    "probability",
    "status",
    "smart",
]
IdArgument = Annotated[int, typer.Argument(help="The initiative's id (pilotage initiative list).")]
NoteOption = Annotated[str | None, typer.Option(help="Why (kept in the history).")]
DateOption = Annotated[
    datetime.datetime | None, typer.Option(formats=["%Y-%m-%d"], help="YYYY-MM-DD.")
]
ScopeOption = Annotated[
    list[str] | None,
    typer.Option(help="dimension=value, repeatable: --scope country=FR --scope country=BE."),
]
LangOption = Annotated[Lang, typer.Option("--lang", help="Readout language: fr or en.")]


def register(app: typer.Typer) -> None:
    app.add_typer(initiative_app, name="initiative")
    app.add_typer(objective_app, name="objective")


def _actor() -> str:
    return cli_actor(getpass.getuser())


def parse_scope(items: list[str] | None, option: str = "--scope") -> dict[str, list[str]]:
    """``["country=FR", "country=BE"]`` -> {"country": ["BE", "FR"]}."""
    scope: dict[str, list[str]] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise UsageError(
                f"cannot read {option} {item!r}",
                fix=f"write {option} dimension=value, e.g. country=FR",
            )
        scope.setdefault(key.strip(), []).append(value.strip())
    return scope


def _day(value: datetime.datetime | None) -> datetime.date | None:
    return value.date() if value else None


def _show_detail(done: InitiativeDetail, fmt: OutputFormat) -> None:
    row = done.model_dump(mode="json")
    emit(done, fmt, [row], _LIST_COLUMNS)
    if fmt != "table":
        return
    lines = []
    if done.plan_missing or done.case_missing:
        lines.append(
            "launch needs: "
            + "; ".join(
                f"{what}: {', '.join(m)}"
                for what, m in (("plan", done.plan_missing), ("case", done.case_missing))
                if m
            )
        )
    for t in done.transitions:
        lines.append(f"{t.at:%Y-%m-%d %H:%M} {t.from_status or '-'} -> {t.to_status} by {t.by}")
    for action, reason in done.blocked.items():
        lines.append(f"{action}: {reason}")
    sys.stdout.write("\n" + "\n".join(lines) + "\n")


@initiative_app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="What it is, e.g. 'Salon régional Lyon'.")],
    kind: Annotated[
        str,
        typer.Option(help="campaign, program, event, webinar_series, content, tool, hire, ..."),
    ],
    owner: Annotated[str, typer.Option(help="Who answers for it (an email).")],
    description: Annotated[str | None, typer.Option(help="One paragraph.")] = None,
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Propose an initiative; its plan and case come next (initiative plan / case)."""
    with metadata(workspace_of(workspace)) as meta:
        done = create_initiative(
            meta, name=name, kind=kind, owner=owner, description=description, actor=_actor()
        )
    _show_detail(done, fmt)


@initiative_app.command("list")
def list_(
    status: Annotated[
        str | None, typer.Option(help="proposed, approved, launched or evaluated [all].")
    ] = None,
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Every initiative with its KPI, cost, expected return and ROI, and launch readiness."""
    ws = workspace_of(workspace)
    with metadata(ws) as meta:
        done = list_initiatives(meta, status=status, today=today_in(ws))
    emit(done, fmt, [i.model_dump(mode="json") for i in done.initiatives], _LIST_COLUMNS)


@initiative_app.command("show")
def show(
    initiative_id: IdArgument, workspace: WorkspaceOption = None, fmt: FormatOption = "table"
) -> None:
    """One initiative: plan, case with its economics, history, experiments, evaluation."""
    ws = workspace_of(workspace)
    with metadata(ws) as meta:
        done = get_initiative(meta, initiative_id, today=today_in(ws))
    _show_detail(done, fmt)


@initiative_app.command("plan")
def plan(
    initiative_id: IdArgument,
    kpi: Annotated[str | None, typer.Option(help="Registry metric it moves, e.g. mqls.")] = None,
    scope: ScopeOption = None,
    baseline: Annotated[
        float | None, typer.Option(help="The KPI over the window without the initiative.")
    ] = None,
    baseline_from_data: Annotated[
        bool,
        typer.Option("--baseline-from-data", help="Baseline = the KPI over the window before."),
    ] = False,
    target: Annotated[float | None, typer.Option(help="The KPI over the window with it.")] = None,
    start: DateOption = None,
    evaluation_date: DateOption = None,
    cost: Annotated[float | None, typer.Option(help="Total cost, reporting currency.")] = None,
    method: Annotated[
        MeasurementMethod | None,
        typer.Option(help="attribution, experiment, mmm or pre_post_control."),
    ] = None,
    attribution_model: Annotated[
        CreditModel | None, typer.Option(help="Credit model for attributed metrics [last].")
    ] = None,
    experiment: Annotated[str | None, typer.Option(help="experiment: its experiment_id.")] = None,
    control: ScopeOption = None,
    channel: Annotated[str | None, typer.Option(help="mmm: the channel it spends on.")] = None,
    notes: Annotated[str | None, typer.Option(help="How it will be measured, in words.")] = None,
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Set or complete the measurement plan (only the options given change)."""
    changes: dict[str, Any] = {
        "kpi": kpi,
        "scope": parse_scope(scope) if scope else None,
        "baseline": baseline,
        "target": target,
        "start": _day(start),
        "evaluation_date": _day(evaluation_date),
        "cost": cost,
        "method": method,
        "attribution_model": attribution_model,
        "experiment_id": experiment,
        "control_scope": parse_scope(control, "--control") if control else None,
        "channel": channel,
        "notes": notes,
    }
    if baseline is not None and baseline_from_data:
        raise UsageError("both --baseline and --baseline-from-data given", fix="choose one")
    ws = workspace_of(workspace)
    with metadata(ws) as meta:
        if baseline_from_data:
            with analytics(ws) as store:
                done = update_plan(
                    meta,
                    initiative_id,
                    changes,
                    _actor(),
                    store=store,
                    settings=ws.settings,
                    baseline_from_data=True,
                )
        else:
            done = update_plan(meta, initiative_id, changes, _actor())
    _show_detail(done, fmt)


@initiative_app.command("case")
def case(
    initiative_id: IdArgument,
    return_metric: Annotated[
        str | None, typer.Option(help="Money it returns: pipeline_created, revenue, ...")
    ] = None,
    low: Annotated[float | None, typer.Option(help="Pessimistic return (10th pct).")] = None,
    base: Annotated[float | None, typer.Option(help="Expected return (median).")] = None,
    high: Annotated[float | None, typer.Option(help="Optimistic return (90th pct).")] = None,
    margin: Annotated[
        float | None, typer.Option(help="Share of the return that pays the cost back [1].")
    ] = None,
    months: Annotated[int | None, typer.Option(help="Months the return arrives over [12].")] = None,
    rationale: Annotated[str | None, typer.Option(help="Where the numbers come from.")] = None,
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Set or complete the business case: low / base / high return, margin, horizon."""
    changes = {
        "return_metric": return_metric,
        "low": low,
        "base": base,
        "high": high,
        "margin": margin,
        "months": months,
        "rationale": rationale,
    }
    with metadata(workspace_of(workspace)) as meta:
        done = update_case(meta, initiative_id, changes, _actor())
    _show_detail(done, fmt)


@initiative_app.command("approve")
def approve(
    initiative_id: IdArgument,
    note: NoteOption = None,
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Approve a proposed initiative (needs a complete business case)."""
    ws = workspace_of(workspace)
    with metadata(ws) as meta:
        done = move_initiative(
            meta, initiative_id, "approve", _actor(), today=today_in(ws), note=note
        )
    _show_detail(done, fmt)


@initiative_app.command("launch")
def launch(
    initiative_id: IdArgument,
    note: NoteOption = None,
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Launch an approved initiative: refused without a complete plan and case."""
    ws = workspace_of(workspace)
    with metadata(ws) as meta:
        done = move_initiative(
            meta, initiative_id, "launch", _actor(), today=today_in(ws), note=note
        )
    _show_detail(done, fmt)


MmmOption = Annotated[
    Path | None,
    typer.Option(help="mmm plans: a model saved by 'pilotage mmm fit' [the workspace's]."),
]


def _mmm(ws: Workspace, channel: str | None, model_file: Path | None) -> MmmEvidence | None:
    """The plan channel's ROAS from ``model_file``, else from the workspace's saved model."""
    if channel is None:
        return None
    if model_file is not None:
        try:
            model = FittedModel.from_json(model_file.read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise UsageError(
                f"cannot read the mix model {model_file}: {exc}", fix="refit it"
            ) from exc
    else:
        found = saved_model(ws)
        if found is None:
            return None
        model = found
    return mmm_evidence(model, channel)


def _show_evaluation(done: InitiativeEvaluation, fmt: OutputFormat) -> None:
    emit(
        done,
        fmt,
        [r.model_dump() for r in done.rows],
        ["item", "unit", "expected", "actual", "difference"],
    )
    if fmt == "table":
        sys.stdout.write(f"\nverdict: {done.verdict} ({done.method.how})\n")
        for note in done.notes:
            sys.stdout.write(f"note: {note}\n")


@initiative_app.command("measure")
def measure(
    initiative_id: IdArgument,
    mmm_model: MmmOption = None,
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Actual against expected now, from the workspace, without recording anything."""
    ws = workspace_of(workspace)
    today = today_in(ws)
    with metadata(ws) as meta, analytics(ws) as store:
        found = get_initiative(meta, initiative_id)
        mmm = _mmm(ws, found.plan.channel if found.plan.method == "mmm" else None, mmm_model)
        done = measure_initiative(store, meta, ws.settings, initiative_id, today=today, mmm=mmm)
    _show_evaluation(done, fmt)


@initiative_app.command("evaluate")
def evaluate(
    initiative_id: IdArgument,
    note: NoteOption = None,
    mmm_model: MmmOption = None,
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Measure a launched initiative after its evaluation date and mark it evaluated."""
    ws = workspace_of(workspace)
    today = today_in(ws)
    with metadata(ws) as meta, analytics(ws) as store:
        found = get_initiative(meta, initiative_id)
        mmm = _mmm(ws, found.plan.channel if found.plan.method == "mmm" else None, mmm_model)
        done = evaluate_initiative(
            store, meta, ws.settings, initiative_id, _actor(), today=today, mmm=mmm, note=note
        )
    assert done.evaluation is not None
    _show_evaluation(done.evaluation, fmt)


def _spec(
    name: str,
    metric: str,
    target: float,
    deadline: datetime.datetime,
    start: datetime.datetime | None,
    scope: list[str] | None,
    kind: ObjectiveKind,
    parent: int | None,
    owner: str | None,
    direction: Direction | None,
) -> ObjectiveSpec:
    return ObjectiveSpec(
        name=name,
        metric_id=metric,
        target=target,
        deadline=deadline.date(),
        start=_day(start),
        scope=parse_scope(scope),
        kind=kind,
        parent_id=parent,
        owner=owner,
        direction=direction,
    )


def _objective_row(o: ObjectiveStatus) -> dict[str, Any]:
    return {
        **o.model_dump(mode="json"),
        "forecast": o.forecast.value if o.forecast else None,
        "smart": "".join(
            s.letter if s.passed else "-" if s.passed is False else "?" for s in o.smart
        ),
    }


def _show_objective(done: ObjectiveStatus, fmt: OutputFormat) -> None:
    emit(done, fmt, [_objective_row(done)], _OBJECTIVE_COLUMNS)
    if fmt == "table":
        marks = {True: "ok", False: "NO", None: "?"}
        lines = [f"{s.letter} {marks[s.passed]:>2}  {s.reason}" for s in done.smart]
        sys.stdout.write("\n" + "\n".join(lines) + "\n")


MetricOption = Annotated[str, typer.Option("--metric", help="Registry metric, e.g. mqls.")]
TargetOption = Annotated[float, typer.Option(help="Target value at the deadline.")]
DeadlineOption = Annotated[
    datetime.datetime, typer.Option(formats=["%Y-%m-%d"], help="YYYY-MM-DD.")
]
KindOption = Annotated[ObjectiveKind, typer.Option(help="business or marketing.")]
ParentOption = Annotated[int | None, typer.Option(help="Marketing: its business objective.")]
OwnerOption = Annotated[str | None, typer.Option(help="Who answers for it.")]
DirectionOption = Annotated[
    Direction | None, typer.Option(help="at_least or at_most [by the metric: CAC at_most].")
]


@objective_app.command("create")
def objective_create(
    name: Annotated[str, typer.Argument(help="e.g. 'MQL 2027'.")],
    metric: MetricOption,
    target: TargetOption,
    deadline: DeadlineOption,
    start: Annotated[
        datetime.datetime | None, typer.Option(formats=["%Y-%m-%d"], help="First day [today].")
    ] = None,
    scope: ScopeOption = None,
    kind: KindOption = "marketing",
    parent: ParentOption = None,
    owner: OwnerOption = None,
    direction: DirectionOption = None,
    lang: LangOption = "en",
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Create an objective (refused without a measurable metric or with a past deadline),
    then show its SMART check, progress and forecast."""
    spec = _spec(name, metric, target, deadline, start, scope, kind, parent, owner, direction)
    ws = workspace_of(workspace)
    today = today_in(ws)
    with metadata(ws) as meta:
        made = create_objective(meta, spec, _actor(), today=today)
        with analytics(ws) as store:
            done = objective_status(store, meta, ws.settings, made.id, today=today, lang=lang)
    _show_objective(done, fmt)


@objective_app.command("check")
def objective_check(
    name: Annotated[str, typer.Argument(help="e.g. 'MQL 2027'.")],
    metric: MetricOption,
    target: TargetOption,
    deadline: DeadlineOption,
    start: Annotated[
        datetime.datetime | None, typer.Option(formats=["%Y-%m-%d"], help="First day [today].")
    ] = None,
    scope: ScopeOption = None,
    kind: KindOption = "marketing",
    parent: ParentOption = None,
    owner: OwnerOption = None,
    direction: DirectionOption = None,
    lang: LangOption = "en",
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """The SMART check and forecast of an objective before creating it (nothing saved)."""
    spec = _spec(name, metric, target, deadline, start, scope, kind, parent, owner, direction)
    ws = workspace_of(workspace)
    with metadata(ws) as meta, analytics(ws) as store:
        done = check_objective(store, meta, ws.settings, spec, today=today_in(ws), lang=lang)
    _show_objective(done, fmt)


@objective_app.command("list")
def objective_list(
    lang: LangOption = "en", workspace: WorkspaceOption = None, fmt: FormatOption = "table"
) -> None:
    """Every objective, business first with its marketing cascade: progress, forecast,
    probability of reaching the target, SMART letters (- failed, ? not judged)."""
    ws = workspace_of(workspace)
    with metadata(ws) as meta, analytics(ws) as store:
        done = objectives_status(store, meta, ws.settings, today=today_in(ws), lang=lang)
    emit(done, fmt, [_objective_row(o) for o in done.objectives], _OBJECTIVE_COLUMNS)


@objective_app.command("show")
def objective_show(
    objective_id: Annotated[int, typer.Argument(help="The objective's id.")],
    lang: LangOption = "en",
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """One objective: SMART reasons, history, forecast path to the deadline."""
    ws = workspace_of(workspace)
    with metadata(ws) as meta, analytics(ws) as store:
        done = objective_status(
            store, meta, ws.settings, objective_id, today=today_in(ws), lang=lang
        )
    _show_objective(done, fmt)
