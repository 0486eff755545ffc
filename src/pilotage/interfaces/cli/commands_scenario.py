"""``pilotage scenario compare``: alternatives side by side, with a recommendation."""

from __future__ import annotations

import csv
import datetime
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from pilotage.core.kpis.credit import CreditModel
from pilotage.errors import InputError, RowError, UsageError
from pilotage.interfaces.cli.options import FormatOption, WorkspaceOption, emit, workspace_of
from pilotage.interfaces.formatting import Lang
from pilotage.services.budget_plan import load_model, saved_model
from pilotage.services.scenarios import (
    Proposal,
    ReturnMetric,
    ScenarioComparison,
    workspace_comparison,
)
from pilotage.services.workspaces import analytics

scenario_app = typer.Typer(
    help="Scenario planner: compare alternatives (programs, channels, business cases).",
    no_args_is_help=True,
)
FIELDS = ("name", "program", "cost", "channel", "units", "low", "base", "high")
PROPOSAL_SYNTAX = "NAME:TYPE:COST[:UNITS], TYPE a program type or channel=<mix model channel>"
_COLUMNS = [
    "rank",
    "name",
    "source",
    "cost",
    "expected_return",
    "return_ci_low",
    "return_ci_high",
    "roi",
    "probability_roi_positive",
    "payback_months",
    "risk",
]


def register(app: typer.Typer) -> None:
    app.add_typer(scenario_app, name="scenario")


def parse_proposal(text: str) -> Proposal:
    """``Regional event:events:80000``, ``Six webinars:webinars:30000:6`` or
    ``More search:channel=paid_search:50000``; the name may itself hold colons."""
    parts = text.split(":")
    units = "1"
    if len(parts) >= 4 and parts[-1].strip().isdigit() and _number(parts[-2]):
        units = parts.pop().strip()
    if len(parts) < 3:
        raise UsageError(f"bad proposal {text!r}", fix=f"write {PROPOSAL_SYNTAX}")
    cost, kind, name = parts[-1].strip(), parts[-2].strip(), ":".join(parts[:-2]).strip()
    channel = kind.removeprefix("channel=").strip() if kind.startswith("channel=") else None
    try:
        return Proposal(
            name=name,
            program=None if channel is not None else kind or None,
            channel=channel,
            cost=float(cost),
            units=int(units),
        )
    except (ValueError, ValidationError) as exc:
        raise UsageError(
            f"bad proposal {text!r}: {_reason(exc)}", fix=f"write {PROPOSAL_SYNTAX}"
        ) from exc


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'proposal'}: {e['msg']}" for e in exc.errors()
        )
    return str(exc)


def read_proposals(path: Path) -> list[Proposal]:
    """A CSV (header among name, program, cost, channel, units, low, base, high) or a JSON
    list of such objects (or ``{"proposals": [...]}``); every bad row is reported."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(
                str(path), [RowError(exc.lineno, None, None, f"not JSON: {exc.msg}")]
            ) from exc
        items = data.get("proposals") if isinstance(data, dict) else data
        if not isinstance(items, list):
            raise InputError(
                str(path),
                [
                    RowError(
                        None,
                        None,
                        None,
                        "expected a list of proposals",
                        'e.g. [{"name": "Webinars", "program": "webinars", "cost": 30000}]',
                    )
                ],
            )
        rows: list[tuple[int | None, Any]] = [(None, item) for item in items]
    else:
        reader = csv.DictReader(text.splitlines())
        unknown = sorted(set(reader.fieldnames or []) - set(FIELDS))
        if unknown or "name" not in (reader.fieldnames or []):
            raise InputError(
                str(path),
                [
                    RowError(
                        1,
                        None,
                        str(unknown or reader.fieldnames),
                        "bad header",
                        f"columns among {', '.join(FIELDS)}, with name and cost",
                    )
                ],
            )
        rows = [
            (line, {k: v for k, v in rec.items() if v not in (None, "")})
            for line, rec in enumerate(reader, start=2)
        ]
    proposals, errors = [], []
    for k, (line, item) in enumerate(rows):
        try:
            proposals.append(Proposal.model_validate(item))
        except ValidationError as exc:
            for e in exc.errors():
                column = ".".join(str(p) for p in e["loc"]) or None
                where = column if line is not None else f"proposals[{k}].{column or ''}"
                value = item.get(column) if isinstance(item, dict) and column else None
                errors.append(
                    RowError(line, where, None if value is None else str(value), e["msg"])
                )
    if errors:
        raise InputError(str(path), errors)
    if not proposals:
        raise InputError(str(path), [RowError(None, None, None, "no proposal in the file")])
    return proposals


@scenario_app.command("compare")
def compare_command(
    workspace: WorkspaceOption = None,
    proposal: Annotated[
        list[str] | None, typer.Option("--proposal", "-p", help=f"{PROPOSAL_SYNTAX}; repeatable.")
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="Proposals as CSV or JSON (see the docs).")
    ] = None,
    metric: Annotated[
        ReturnMetric, typer.Option(help="Return measured: revenue, margin or pipeline.")
    ] = "revenue",
    credit: Annotated[
        CreditModel, typer.Option(help="Credit model giving campaigns their return.")
    ] = "linear",
    margin: Annotated[
        float, typer.Option(help="Share of the return that pays the cost back (1 = all).")
    ] = 1.0,
    months: Annotated[int, typer.Option(help="Months over which a program's return comes.")] = 12,
    weeks: Annotated[int, typer.Option(help="Horizon of a channel proposal, in weeks.")] = 13,
    start: Annotated[
        datetime.datetime | None,
        typer.Option("--from", "--start", formats=["%Y-%m-%d"], help="History from this day."),
    ] = None,
    end: Annotated[
        datetime.datetime | None,
        typer.Option("--to", "--end", formats=["%Y-%m-%d"], help="History to this day."),
    ] = None,
    model: Annotated[
        Path | None, typer.Option("--model", help="Mix model file (default: the workspace's).")
    ] = None,
    seed: Annotated[int, typer.Option(help="Same seed, same simulations.")] = 0,
    lang: Annotated[Lang, typer.Option("--lang", help="Verdicts in fr or en.")] = "en",
    fmt: FormatOption = "table",
) -> None:
    """Compare proposals: expected return (80 % interval), ROI, break-even, payback,
    P(ROI > 0), risk; recommend one and say why not the others."""
    proposals = [parse_proposal(p) for p in proposal or []]
    if file is not None:
        proposals += read_proposals(file)
    if not proposals:
        raise UsageError("no proposal given", fix=f"--proposal '{PROPOSAL_SYNTAX}' or --file F")
    ws = workspace_of(workspace)
    fitted = load_model(model) if model is not None else saved_model(ws)
    with analytics(ws) as store:
        result = workspace_comparison(
            store,
            ws.settings,
            proposals,
            model=fitted,
            metric=metric,
            credit=credit,
            start=start.date() if start else None,
            end=end.date() if end else None,
            margin=margin,
            months=months,
            weeks=weeks,
            seed=seed,
        )
    rows = sorted((p.model_dump() for p in result.proposals), key=lambda r: r["rank"])
    emit(result, fmt, rows, _COLUMNS)
    if fmt == "table":
        sys.stdout.write("\n" + readout(result, lang))


def readout(result: ScenarioComparison, lang: Lang) -> str:
    fr = lang == "fr"
    lines = [result.summary_fr if fr else result.summary]
    for p in sorted(result.proposals, key=lambda p: p.rank):
        lines.append(f"- {p.verdict_fr if fr else p.verdict}")
        lines.append(f"  {p.basis_fr if fr else p.basis}")
        lines += [f"  ! {n}" for n in (p.notes_fr if fr else p.notes)]
    lines += [f"* {n}" for n in (result.notes_fr if fr else result.notes)]
    return "\n".join(lines) + "\n"
