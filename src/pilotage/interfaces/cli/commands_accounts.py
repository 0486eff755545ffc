"""accounts commands (allbound): target account lists shared by sales and marketing, their
goals, the engagement score and its weights, and one account's page."""

from __future__ import annotations

import datetime
import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from pilotage.data.metadata.audit import cli_actor
from pilotage.data.metadata.store import MetadataStore
from pilotage.data.workspace import Workspace
from pilotage.errors import UsageError
from pilotage.interfaces.cli.options import FormatOption, WorkspaceOption, emit, workspace_of
from pilotage.interfaces.cli.output import OutputFormat
from pilotage.interfaces.formatting import Lang
from pilotage.jobs.scheduler import today_in
from pilotage.services.allbound import (
    DEFAULT_CREDIT_MODEL,
    Direct,
    account_page,
    goals_of_list,
    marketing_of_list,
    sales_of_list,
    scores,
)
from pilotage.services.allbound_lists import (
    add_members,
    all_lists,
    create_list,
    delete_goal,
    delete_list,
    edit_list,
    remove_members,
    set_goal,
    target_list,
)
from pilotage.services.allbound_members import (
    MemberInput,
    checked_ids,
    csv_ids,
    flagged_ids,
    typed_ids,
)
from pilotage.services.allbound_weights import (
    ScoringSettings,
    parse_weights,
    scoring_settings,
    set_weights,
)
from pilotage.services.workspaces import analytics, metadata

accounts_app = typer.Typer(
    help="Allbound: target account lists shared by sales and marketing, shared goals, "
    "the account engagement score and its weights, one account's journey and pipeline.",
    no_args_is_help=True,
)
ListArgument = Annotated[str, typer.Argument(help="The list's id or exact name.")]
AccountsOption = Annotated[
    list[str] | None,
    typer.Option("--accounts", "-a", help="Account ids, comma separated (repeatable)."),
]
CsvOption = Annotated[
    Path | None, typer.Option("--csv", help="CSV file with an account_id column.")
]
FromTargetsOption = Annotated[
    bool,
    typer.Option("--from-targets", help="The accounts flagged is_target in the accounts table."),
]
TierOption = Annotated[
    list[str] | None, typer.Option("--tier", help="With --from-targets: only this tier.")
]
AsOfOption = Annotated[
    datetime.datetime | None,
    typer.Option("--as-of", help="Read as of this day (YYYY-MM-DD) [last day of data]."),
]
LangOption = Annotated[Lang, typer.Option("--lang", help="Names in fr or en.")]
ModelOption = Annotated[
    str, typer.Option("--model", help="Attribution model of the pipeline credit.")
]
_LIST_COLUMNS = ["id", "name", "sales_owner", "marketing_owner", "accounts", "goals"]
_SCORE_COLUMNS = [
    "account_id",
    "name",
    "tier",
    "sales_owner",
    "score",
    "trend",
    "open_opportunities",
    "open_pipeline",
    "top_components",
]
_GOAL_COLUMNS = ["period", "metric", "target", "actual", "attainment", "expected", "status"]


def register(app: typer.Typer) -> None:
    app.add_typer(accounts_app, name="accounts")


@dataclass(frozen=True)
class Context:
    compute: Direct
    meta: MetadataStore
    currency: str
    today: datetime.date


@contextmanager
def _opened(workspace: Path | None) -> Iterator[Context]:
    ws = workspace_of(workspace)
    with analytics(ws) as store, metadata(ws) as meta:
        yield Context(
            Direct(store, ws.settings), meta, ws.settings.reporting_currency, today_in(ws)
        )


def _actor() -> str:
    return cli_actor(getpass.getuser())


def _day(value: datetime.datetime | None) -> datetime.date | None:
    return value.date() if value is not None else None


def _members(
    ws: Workspace,
    accounts: list[str] | None,
    csv: Path | None,
    from_targets: bool,
    tiers: list[str] | None,
    *,
    required: bool,
) -> tuple[str, ...]:
    """The checked ids of one source (typed, CSV or is_target); none given: an empty list
    unless ``required``."""
    given = [g for g in (accounts, csv, from_targets or None) if g]
    if len(given) > 1:
        raise UsageError(
            "give the accounts one way", fix="use --accounts, --csv or --from-targets, not two"
        )
    if tiers and not from_targets:
        raise UsageError("--tier goes with --from-targets", fix="add --from-targets")
    with analytics(ws) as store:
        source: MemberInput
        if accounts:
            source = typed_ids(accounts, "--accounts")
        elif csv is not None:
            source = csv_ids(_read(csv), str(csv))
        elif from_targets:
            source = flagged_ids(store, tiers or ())
        elif required:
            raise UsageError("no account given", fix="use --accounts, --csv or --from-targets")
        else:
            return ()
        return checked_ids(store, source)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}", fix="check the path") from exc


@accounts_app.command("lists")
def lists(workspace: WorkspaceOption = None, fmt: FormatOption = "table") -> None:
    """Target account lists: owners on each side, accounts and goals."""
    with metadata(workspace_of(workspace)) as meta:
        done = all_lists(meta)
    emit(done, fmt, [r.model_dump() for r in done.lists], _LIST_COLUMNS)


@accounts_app.command("list-create")
def list_create(
    name: Annotated[str, typer.Argument(help="Name of the list (unique).")],
    sales_owner: Annotated[str, typer.Option(help="Who answers for the list in sales.")],
    marketing_owner: Annotated[str, typer.Option(help="Who answers for it in marketing.")],
    accounts: AccountsOption = None,
    csv: CsvOption = None,
    from_targets: FromTargetsOption = False,
    tier: TierOption = None,
    description: Annotated[str | None, typer.Option(help="What the list is for.")] = None,
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Create a list owned by a sales and a marketing owner; every account must be in the
    accounts table, or nothing is saved."""
    ws = workspace_of(workspace)
    ids = _members(ws, accounts, csv, from_targets, tier, required=False)
    with metadata(ws) as meta:
        done = create_list(
            meta, name, sales_owner, marketing_owner, ids, _actor(), description=description
        )
    emit(done, fmt, [done.model_dump()], _LIST_COLUMNS)


@accounts_app.command("list-edit")
def list_edit(
    target: ListArgument,
    name: Annotated[str | None, typer.Option(help="New name.")] = None,
    sales_owner: Annotated[str | None, typer.Option(help="New sales owner.")] = None,
    marketing_owner: Annotated[str | None, typer.Option(help="New marketing owner.")] = None,
    description: Annotated[str | None, typer.Option(help="New description.")] = None,
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Rename a list, or change its owners or description."""
    with metadata(workspace_of(workspace)) as meta:
        done = edit_list(
            meta,
            target,
            _actor(),
            name=name,
            sales_owner=sales_owner,
            marketing_owner=marketing_owner,
            description=description,
        )
    emit(done, fmt, [done.model_dump()], _LIST_COLUMNS)


@accounts_app.command("list-add")
def list_add(
    target: ListArgument,
    accounts: AccountsOption = None,
    csv: CsvOption = None,
    from_targets: FromTargetsOption = False,
    tier: TierOption = None,
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Add accounts (typed, from a CSV file or from is_target/tier); all must be known."""
    ws = workspace_of(workspace)
    ids = _members(ws, accounts, csv, from_targets, tier, required=True)
    with metadata(ws) as meta:
        done = add_members(meta, target, ids, _actor())
    emit(done, fmt, [done.model_dump()], _LIST_COLUMNS)


@accounts_app.command("list-remove")
def list_remove(
    target: ListArgument,
    accounts: Annotated[
        list[str], typer.Option("--accounts", "-a", help="Account ids of the list to remove.")
    ],
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Remove accounts from a list (all must be in it, or nothing is removed)."""
    ids = tuple(dict.fromkeys(i for _, i in typed_ids(accounts).items))
    with metadata(workspace_of(workspace)) as meta:
        done = remove_members(meta, target, ids, _actor())
    emit(done, fmt, [done.model_dump()], _LIST_COLUMNS)


@accounts_app.command("list-delete")
def list_delete(
    target: ListArgument,
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: the goals go with it.")] = False,
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Delete a list, its members and its goals."""
    if not yes:
        raise UsageError("deleting a list also deletes its goals", fix="add --yes to confirm")
    with metadata(workspace_of(workspace)) as meta:
        done = delete_list(meta, target, _actor())
    emit(done, fmt, [done.model_dump()], _LIST_COLUMNS)


@accounts_app.command("goals")
def goals(
    target: ListArgument,
    period: Annotated[
        str | None, typer.Option(help="Only this period (2026-Q4, 2026-11, 2026-W45).")
    ] = None,
    as_of: AsOfOption = None,
    lang: LangOption = "en",
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """The list's shared goals with their progress (actual, attainment, pace, status)."""
    with _opened(workspace) as c:
        done = goals_of_list(
            c.compute,
            c.meta,
            target,
            c.currency,
            c.today,
            period=period,
            as_of=_day(as_of),
            lang=lang,
        )
    emit(done, fmt, [g.model_dump() for g in done.goals], _GOAL_COLUMNS)
    if fmt == "table":
        count = done.target_list.accounts
        sys.stdout.write(f"\nas of {done.as_of.isoformat()}, {count} accounts\n")


@accounts_app.command("goal-set")
def goal_set(
    target: ListArgument,
    metric: Annotated[
        str,
        typer.Option(
            help="pipeline, opportunities, meetings, engaged_coverage or opportunity_coverage."
        ),
    ],
    period: Annotated[str, typer.Option(help="2026-Q4, 2026-11 or 2026-W45.")],
    target_value: Annotated[
        float,
        typer.Option("--target", help="Amount or count; a coverage as a share (0.6 = 60%)."),
    ],
    lang: LangOption = "en",
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Set (or change) a shared goal of the list for a period."""
    with metadata(workspace_of(workspace)) as meta:
        done = set_goal(meta, target, metric, period, target_value, _actor(), lang)
    emit(done, fmt, [done.model_dump()], ["list_id", "metric", "period", "target", "unit"])


@accounts_app.command("goal-delete")
def goal_delete(
    target: ListArgument,
    metric: Annotated[str, typer.Option(help="The goal's metric.")],
    period: Annotated[str, typer.Option(help="The goal's period.")],
    workspace: WorkspaceOption = None,
) -> None:
    """Delete one goal of the list."""
    with metadata(workspace_of(workspace)) as meta:
        delete_goal(meta, target, metric, period, _actor())
    print(f"deleted the {metric} goal of {period}", file=sys.stderr)


def _score_rows(accounts: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            **s.model_dump(exclude={"components"}),
            "top_components": ", ".join(c.component for c in s.components[:3]),
        }
        for s in accounts
    ]


@accounts_app.command("score")
def score(
    target: Annotated[
        str | None, typer.Option("--list", help="Only the accounts of this list.")
    ] = None,
    top: Annotated[int, typer.Option(help="Rows shown in table/csv (json: all).", min=1)] = 20,
    as_of: AsOfOption = None,
    lang: LangOption = "en",
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Engagement scores, highest first, with each score's components (json) and trend."""
    with _opened(workspace) as c:
        done = scores(
            c.compute, c.meta, c.currency, c.today, list_ref=target, as_of=_day(as_of), lang=lang
        )
    emit(done, fmt, _score_rows(done.accounts[:top]), _SCORE_COLUMNS)


@accounts_app.command("sales")
def sales(
    target: ListArgument,
    as_of: AsOfOption = None,
    lang: LangOption = "en",
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """The list for sales: accounts by score, next best accounts, goals progress."""
    with _opened(workspace) as c:
        done = sales_of_list(
            c.compute, c.meta, target, c.currency, c.today, as_of=_day(as_of), lang=lang
        )
    emit(done, fmt, _score_rows(done.scores.accounts), _SCORE_COLUMNS)
    if fmt == "table":
        out = sys.stdout
        out.write("\nnext best accounts (no open opportunity, highest score):\n")
        for n in done.next_best:
            out.write(f"  {n.name} ({n.account_id}) {n.score:,.1f}: {', '.join(n.reasons)}\n")
        out.write("\ngoals:\n")
        for g in done.goals:
            out.write(
                f"  {g.period} {g.metric}: {g.actual:,.2f} of {g.target:,.2f} "
                f"({g.attainment:.0%}) {g.status}\n"
            )


@accounts_app.command("marketing")
def marketing(
    target: ListArgument,
    model: ModelOption = DEFAULT_CREDIT_MODEL,
    as_of: AsOfOption = None,
    lang: LangOption = "en",
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """The list for marketing: score components, pipeline credited per channel, coverage
    gaps (json holds every account's components)."""
    with _opened(workspace) as c:
        done = marketing_of_list(
            c.compute,
            c.meta,
            target,
            c.currency,
            c.today,
            credit_model=model,
            as_of=_day(as_of),
            lang=lang,
        )
    rows = [r.model_dump() for r in done.channels]
    emit(done, fmt, rows, ["channel", "pipeline", "won", "deals"])
    if fmt == "table":
        out = sys.stdout
        out.write(f"\nscore components ({done.scores.as_of.isoformat()}):\n")
        for k in done.components:
            share = f"{k.share:.0%}" if k.share is not None else "-"
            out.write(f"  {k.component}: {k.value:,.1f} ({share}), {k.accounts} accounts\n")
        out.write("\ncoverage gaps:\n")
        for g in done.gaps:
            out.write(f"  {g.gap}: {len(g.accounts)} ({', '.join(g.accounts[:8])})\n")


@accounts_app.command("weights")
def weights(
    lang: LangOption = "en", workspace: WorkspaceOption = None, fmt: FormatOption = "table"
) -> None:
    """The engagement score's weights in force, the defaults, the decay and the history."""
    with metadata(workspace_of(workspace)) as meta:
        done = scoring_settings(meta, lang)
    _show_weights(done, fmt)


def _show_weights(done: ScoringSettings, fmt: OutputFormat) -> None:
    emit(done, fmt, [w.model_dump() for w in done.weights], ["component", "points", "default"])
    if fmt == "table":
        version = done.version if done.version is not None else "defaults"
        sys.stdout.write(
            f"\nhalf-life {done.half_life_days:g} days, window {done.window_days} days, "
            f"version {version}\n{done.formula}\n"
        )


@accounts_app.command("weights-set")
def weights_set(
    weight: Annotated[
        list[str] | None,
        typer.Option("--weight", help="COMPONENT=POINTS, e.g. webinar=12 (repeatable)."),
    ] = None,
    half_life: Annotated[float | None, typer.Option(help="Half-life of the decay, days.")] = None,
    window: Annotated[int | None, typer.Option(help="Days of activity read.")] = None,
    note: Annotated[str | None, typer.Option(help="Why (kept in the history).")] = None,
    reset: Annotated[
        bool, typer.Option("--reset", help="Start from the defaults (then apply the rest).")
    ] = False,
    lang: LangOption = "en",
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Change the engagement weights (saved as a new version; every score follows)."""
    updates = parse_weights(weight or [])
    with metadata(workspace_of(workspace)) as meta:
        done = set_weights(
            meta,
            updates,
            _actor(),
            half_life_days=half_life,
            window_days=window,
            note=note,
            reset=reset,
            lang=lang,
        )
    _show_weights(done, fmt)


@accounts_app.command("show")
def show(
    account_id: Annotated[str, typer.Argument(help="The account_id.")],
    model: ModelOption = DEFAULT_CREDIT_MODEL,
    limit: Annotated[int, typer.Option(help="Journey events shown.", min=1, max=5000)] = 50,
    as_of: AsOfOption = None,
    lang: LangOption = "en",
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """One account: score explained, journey (newest first) and pipeline per channel."""
    with _opened(workspace) as c:
        done = account_page(
            c.compute,
            c.meta,
            account_id,
            c.currency,
            c.today,
            credit_model=model,
            journey_limit=limit,
            as_of=_day(as_of),
            lang=lang,
        )
    rows = [e.model_dump() for e in done.journey.events]
    if fmt != "table":
        emit(done, fmt, rows, ["at", "kind", "detail", "channel", "person_id", "amount"])
        return
    a, s = done.account, done.score
    out = sys.stdout
    out.write(f"{a.name} ({a.account_id}), {a.tier or 'no tier'}, {a.country or '-'}\n")
    out.write(f"owners: sales {a.sales_owner or '-'}, marketing {a.marketing_owner or '-'}\n")
    out.write(f"lists: {', '.join(r.name for r in done.lists) or '-'}\n")
    out.write(f"score {s.score:,.1f} (trend {s.trend:+,.1f}) as of {done.as_of.isoformat()}:\n")
    for k in s.components:
        out.write(f"  {k.component}: {k.points:g} x {k.decayed:.2f} = {k.value:,.1f}\n")
    out.write(f"\npipeline credited per channel ({done.pipeline.model}):\n")
    for ch in done.pipeline.channels:
        out.write(f"  {ch.channel}: pipeline {ch.pipeline:,.0f}, won {ch.won:,.0f}\n")
    out.write(f"\njourney ({done.journey.total} events, newest first):\n")
    emit(done, fmt, rows, ["at", "kind", "detail", "channel", "person_id", "amount"])


@accounts_app.command("members")
def members(
    target: ListArgument, workspace: WorkspaceOption = None, fmt: FormatOption = "table"
) -> None:
    """The account ids of a list."""
    with metadata(workspace_of(workspace)) as meta:
        done = target_list(meta, target)
    emit(done, fmt, [{"account_id": a} for a in done.account_ids], ["account_id"])
