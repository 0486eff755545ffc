"""``pilotage alerts ...`` (monitoring runs, alerts and their webhooks) and ``pilotage
committee ...`` (committees, RACI, agenda, decision log, action items, health check)."""

from __future__ import annotations

import datetime
import getpass
import sys
from typing import Annotated, Any

import typer

from pilotage.core.governance.vocabulary import Cadence
from pilotage.core.monitoring.settings import MonitorSettings
from pilotage.data.metadata.audit import cli_actor
from pilotage.errors import UsageError
from pilotage.interfaces.cli.options import FormatOption, WorkspaceOption, emit, workspace_of
from pilotage.interfaces.cli.output import OutputFormat
from pilotage.interfaces.formatting import Lang
from pilotage.interfaces.reports.agenda_view import agenda_blocks
from pilotage.jobs.scheduler import today_in
from pilotage.services import alerts as alert_service
from pilotage.services import governance as gov
from pilotage.services.alerts_drift import check_cpa_metric
from pilotage.services.alerts_pacing import month_pacing
from pilotage.services.alerts_realloc import proposal_moves
from pilotage.services.alerts_types import AlertInfo, DeliveryReport
from pilotage.services.governance_agenda import agenda_period, build_agenda
from pilotage.services.governance_health import answer_question, health_check
from pilotage.services.report_periods import parse_period
from pilotage.services.webhooks import (
    RetryPolicy,
    add_webhook,
    deliver_pending,
    list_deliveries,
    list_webhooks,
    remove_webhook,
    toml_webhooks,
)
from pilotage.services.workspaces import analytics, metadata

alerts_app = typer.Typer(
    help="Monitoring: anomalies, spend pacing, CPA drift; alerts and webhooks.",
    no_args_is_help=True,
)
committee_app = typer.Typer(
    help="Governance: committees, RACI, agendas, decisions, actions, health check.",
    no_args_is_help=True,
)
LangOption = Annotated[Lang, typer.Option("--lang", help="fr or en.")]
TimeoutOption = Annotated[float, typer.Option(help="Seconds a receiver has to answer.")]
AttemptsOption = Annotated[int, typer.Option(help="Tries per delivery.")]
BackoffOption = Annotated[float, typer.Option(help="Seconds before the 2nd try (doubles).")]
_ALERT_COLUMNS = [
    "id",
    "severity",
    "state",
    "rule",
    "kind",
    "metric_id",
    "slice_value",
    "since",
    "change_rel",
    "summary",
]
_DELIVERY_COLUMNS = ["id", "alert_id", "url", "status", "attempts", "http_status", "error"]


def register(app: typer.Typer) -> None:
    app.add_typer(alerts_app, name="alerts")
    app.add_typer(committee_app, name="committee")


def _actor() -> str:
    return cli_actor(getpass.getuser())


def _rows(alerts: list[AlertInfo]) -> list[dict[str, Any]]:
    return [a.model_dump() for a in alerts]


# alerts --------------------------------------------------------------------------------


@alerts_app.command("run")
def run(
    deliver: Annotated[
        bool, typer.Option("--deliver/--no-deliver", help="Send new alerts to the webhooks.")
    ] = True,
    history_weeks: Annotated[int, typer.Option(help="Complete weeks scored.")] = 156,
    lookback_weeks: Annotated[
        int, typer.Option(help="A lasting shift older than this is no longer news.")
    ] = 52,
    cpa_metric: Annotated[
        list[str] | None, typer.Option(help="Cost-per metric checked for drift [cpa, cpl].")
    ] = None,
    timeout: TimeoutOption = 5.0,
    attempts: AttemptsOption = 3,
    backoff: BackoffOption = 1.0,
    lang: LangOption = "en",
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Score every KPI series, check pacing and CPA drift, store the changes (once), and
    send the new ones to the webhooks."""
    metrics = tuple(cpa_metric) if cpa_metric else ("cpa", "cpl")
    for m in metrics:
        check_cpa_metric(m)
    try:
        rules = MonitorSettings(
            history_weeks=history_weeks, lookback_weeks=lookback_weeks, cpa_metrics=metrics
        )
    except ValueError as exc:
        raise UsageError(str(exc), fix="see `pilotage alerts run --help`") from exc
    policy = RetryPolicy(attempts=attempts, backoff_s=backoff, timeout_s=timeout)
    ws = workspace_of(workspace)
    with analytics(ws) as store, metadata(ws) as meta:
        done = alert_service.run_alerts(
            store,
            meta,
            ws.settings,
            today=today_in(ws),
            rules=rules,
            proposal=proposal_moves(ws),
            webhook_urls=toml_webhooks(ws.root),
            lang=lang,
        )
        if deliver:
            done = done.model_copy(update={"delivery": deliver_pending(meta, policy=policy)})
    print(
        f"{len(done.opened)} new, {len(done.updated)} still active, {len(done.resolved)} "
        f"resolved; {done.coverage.scored} series scored, {len(done.coverage.skipped)} skipped",
        file=sys.stderr,
    )
    _delivery_message(done.delivery)
    emit(done, fmt, _rows(done.opened + done.updated), _ALERT_COLUMNS)


def _delivery_message(report: DeliveryReport | None) -> None:
    if report is not None and report.message:
        print(f"warning: {report.message}", file=sys.stderr)


@alerts_app.command("list")
def list_(
    state: Annotated[
        str | None, typer.Option(help="open, acknowledged, resolved or active (not resolved).")
    ] = None,
    severity: Annotated[str | None, typer.Option(help="info, warning or critical.")] = None,
    rule: Annotated[str | None, typer.Option(help="anomaly, pacing or cpa_drift.")] = None,
    lang: LangOption = "en",
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Stored alerts, the most serious first."""
    ws = workspace_of(workspace)
    with metadata(ws) as meta:
        done = alert_service.list_alerts(
            meta,
            currency=ws.settings.reporting_currency,
            state=state,
            severity=severity,
            rule=rule,
            lang=lang,
        )
    emit(done, fmt, _rows(done.alerts), _ALERT_COLUMNS)


AlertId = Annotated[int, typer.Argument(help="The alert's id (alerts list).")]
NoteOption = Annotated[str | None, typer.Option(help="A note kept with the alert.")]


@alerts_app.command("show")
def show(
    alert_id: AlertId,
    lang: LangOption = "en",
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """One alert: what moved, by how much, since when, likely cause, suggested move."""
    ws = workspace_of(workspace)
    with metadata(ws) as meta:
        done = alert_service.get_alert(
            meta, alert_id, currency=ws.settings.reporting_currency, lang=lang
        )
    emit(done, fmt, _rows([done]), _ALERT_COLUMNS)


def _change_state(
    action: str,
    alert_id: int,
    note: str | None,
    workspace: WorkspaceOption,
    fmt: OutputFormat,
) -> None:
    ws = workspace_of(workspace)
    currency = ws.settings.reporting_currency
    with metadata(ws) as meta:
        if action == "ack":
            done = alert_service.acknowledge(meta, alert_id, _actor(), currency=currency, note=note)
        elif action == "resolve":
            done = alert_service.resolve(meta, alert_id, _actor(), currency=currency, note=note)
        else:
            done = alert_service.reopen(meta, alert_id, _actor(), currency=currency)
    emit(done, fmt, _rows([done]), _ALERT_COLUMNS)


@alerts_app.command("ack")
def ack(
    alert_id: AlertId,
    note: NoteOption = None,
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Acknowledge an alert: someone owns it."""
    _change_state("ack", alert_id, note, workspace, fmt)


@alerts_app.command("resolve")
def resolve(
    alert_id: AlertId,
    note: NoteOption = None,
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Resolve an alert; a later run finding the same change will not raise it again."""
    _change_state("resolve", alert_id, note, workspace, fmt)


@alerts_app.command("reopen")
def reopen(
    alert_id: AlertId, workspace: WorkspaceOption = None, fmt: FormatOption = "table"
) -> None:
    """Reopen a resolved alert."""
    _change_state("reopen", alert_id, None, workspace, fmt)


@alerts_app.command("deliver")
def deliver(
    only_pending: Annotated[
        bool, typer.Option("--only-pending", help="Leave the failed deliveries alone.")
    ] = False,
    timeout: TimeoutOption = 5.0,
    attempts: AttemptsOption = 3,
    backoff: BackoffOption = 1.0,
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Send the pending webhook deliveries, and the failed ones again."""
    policy = RetryPolicy(attempts=attempts, backoff_s=backoff, timeout_s=timeout)
    with metadata(workspace_of(workspace)) as meta:
        done = deliver_pending(meta, policy=policy, include_failed=not only_pending)
    _delivery_message(done)
    emit(done, fmt, [d.model_dump() for d in done.deliveries], _DELIVERY_COLUMNS)


@alerts_app.command("deliveries")
def deliveries(
    status: Annotated[str | None, typer.Option(help="pending, delivered or failed.")] = None,
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Every webhook delivery with its status, newest first."""
    with metadata(workspace_of(workspace)) as meta:
        done = list_deliveries(meta, status)
    emit(done, fmt, [d.model_dump() for d in done.deliveries], _DELIVERY_COLUMNS)


@alerts_app.command("webhooks")
def webhooks(workspace: WorkspaceOption = None, fmt: FormatOption = "table") -> None:
    """Receivers: saved ones and those of [alerts] webhooks in pilotage.toml."""
    ws = workspace_of(workspace)
    with metadata(ws) as meta:
        done = list_webhooks(meta, toml_webhooks(ws.root))
    emit(
        done,
        fmt,
        [w.model_dump() for w in done.webhooks],
        ["id", "url", "name", "active", "source"],
    )


@alerts_app.command("webhook-add")
def webhook_add(
    url: Annotated[str, typer.Argument(help="http(s) URL that receives alerts as JSON.")],
    name: Annotated[str | None, typer.Option(help="A label.")] = None,
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Save a webhook: every new alert is POSTed to it."""
    with metadata(workspace_of(workspace)) as meta:
        done = add_webhook(meta, url, name, _actor())
    emit(done, fmt, [done.model_dump()], ["id", "url", "name", "active"])


@alerts_app.command("webhook-remove")
def webhook_remove(
    webhook_id: Annotated[int, typer.Argument(help="The webhook's id (alerts webhooks).")],
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Forget a saved webhook (its past deliveries stay recorded)."""
    with metadata(workspace_of(workspace)) as meta:
        done = remove_webhook(meta, webhook_id, _actor())
    emit(done, fmt, [done.model_dump()], ["id", "url", "name"])


@alerts_app.command("pacing")
def pacing(workspace: WorkspaceOption = None, fmt: FormatOption = "table") -> None:
    """Month-to-date spend of budgeted campaigns against their prorated budgets."""
    ws = workspace_of(workspace)
    with analytics(ws) as store:
        done = month_pacing(store, ws.settings)
    columns = ["channel", "campaigns", "planned_to_date", "spent_to_date", "ratio", "status"]
    emit(done, fmt, [c.model_dump() for c in done.channels], columns)


# committee -----------------------------------------------------------------------------

CommitteeRef = Annotated[str, typer.Argument(help="The committee's id or name.")]


def _members(done: gov.CommitteeList) -> list[dict[str, Any]]:
    """A row per member (a committee with none: one row without a name)."""
    rows: list[dict[str, Any]] = []
    for c in done.committees:
        head = {"committee": c.name, "cadence": c.cadence, "meeting": c.title}
        rows += [{**head, **m.model_dump()} for m in c.members] or [head]
    return rows


_MEMBER_COLUMNS = ["committee", "cadence", "meeting", "name", "role", "title", "email"]


@committee_app.command("init")
def init(
    lang: LangOption = "fr", workspace: WorkspaceOption = None, fmt: FormatOption = "table"
) -> None:
    """Create the weekly analysis, monthly digital committee and quarterly strategy review
    that are missing."""
    with metadata(workspace_of(workspace)) as meta:
        done = gov.standard_committees(meta, _actor(), lang)
    emit(done, fmt, _members(done), _MEMBER_COLUMNS)


@committee_app.command("list")
def list_committees(workspace: WorkspaceOption = None, fmt: FormatOption = "table") -> None:
    """Committees with their cadence and members."""
    with metadata(workspace_of(workspace)) as meta:
        done = gov.list_committees(meta)
    emit(done, fmt, _members(done), _MEMBER_COLUMNS)


@committee_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Short name, recorded with its decisions.")],
    title: Annotated[str, typer.Option(help="Full title.")],
    cadence: Annotated[Cadence, typer.Option(help="weekly, monthly or quarterly.")],
    purpose: Annotated[str | None, typer.Option(help="What it is for.")] = None,
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Create a committee."""
    with metadata(workspace_of(workspace)) as meta:
        done = gov.create_committee(meta, name, title, cadence, _actor(), purpose)
    emit(done, fmt, [done.model_dump()], ["id", "name", "title", "cadence"])


@committee_app.command("member")
def member(
    committee: CommitteeRef,
    name: Annotated[str, typer.Argument(help="The member's name.")],
    role: Annotated[
        str,
        typer.Option(help="ceo, cmo, cdo, cfo, sales, marketing, it, customer_service, data."),
    ],
    email: Annotated[str | None, typer.Option(help="Email.")] = None,
    title: Annotated[str | None, typer.Option(help="Job title.")] = None,
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Add (or update) a member of a committee with their role."""
    with metadata(workspace_of(workspace)) as meta:
        found = gov.find_committee(meta, committee)
        done = gov.add_member(meta, found.id, name, role, _actor(), email=email, title=title)
    emit(done, fmt, _members(gov.CommitteeList(committees=[done])), _MEMBER_COLUMNS)


@committee_app.command("member-remove")
def member_remove(
    committee: CommitteeRef,
    name: Annotated[str, typer.Argument(help="The member's name.")],
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Remove a member from a committee."""
    with metadata(workspace_of(workspace)) as meta:
        found = gov.find_committee(meta, committee)
        done = gov.remove_member(meta, found.id, name, _actor())
    emit(done, fmt, _members(gov.CommitteeList(committees=[done])), _MEMBER_COLUMNS)


_RACI_COLUMNS = ["domain", "person", "level"]


@committee_app.command("raci")
def raci(workspace: WorkspaceOption = None, fmt: FormatOption = "table") -> None:
    """Who is responsible, accountable, consulted, informed for each domain."""
    with metadata(workspace_of(workspace)) as meta:
        done = gov.raci(meta)
    emit(done, fmt, [e.model_dump() for e in done.entries], _RACI_COLUMNS)
    if fmt == "table" and done.gaps:
        print(f"no accountable and responsible person: {', '.join(done.gaps)}", file=sys.stderr)


@committee_app.command("raci-set")
def raci_set(
    domain: Annotated[str, typer.Argument(help="seo, sea, social, email, content, events...")],
    person: Annotated[str, typer.Argument(help="Name.")],
    level: Annotated[str, typer.Argument(help="responsible, accountable, consulted, informed.")],
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Set someone's responsibility for a domain."""
    with metadata(workspace_of(workspace)) as meta:
        done = gov.set_responsibility(meta, domain, person, level, _actor())
    emit(done, fmt, [e.model_dump() for e in done.entries], _RACI_COLUMNS)


@committee_app.command("raci-remove")
def raci_remove(
    domain: Annotated[str, typer.Argument(help="The domain.")],
    person: Annotated[str, typer.Argument(help="Name.")],
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Remove someone's responsibility for a domain."""
    with metadata(workspace_of(workspace)) as meta:
        done = gov.remove_responsibility(meta, domain, person, _actor())
    emit(done, fmt, [e.model_dump() for e in done.entries], _RACI_COLUMNS)


@committee_app.command("agenda")
def agenda(
    cadence: Annotated[Cadence, typer.Option(help="weekly, monthly or quarterly.")] = "monthly",
    period: Annotated[
        str | None, typer.Option(help="2026-W43, 2026-10 or 2026-Q3 [latest complete].")
    ] = None,
    lang: LangOption = "en",
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """The meeting's agenda built from the data."""
    ws = workspace_of(workspace)
    today = today_in(ws)
    with analytics(ws) as store, metadata(ws) as meta:
        chosen = parse_period(cadence, period) if period else agenda_period(store, cadence, today)
        done = build_agenda(
            store, meta, ws.settings, chosen, today=today, workspace_root=ws.root, lang=lang
        )
    if fmt == "table":
        for block in agenda_blocks(done, lang, ws.settings.reporting_currency):
            sys.stdout.write(f"\n{block.title}\n")
            for line in block.lines:
                sys.stdout.write(f"  - {line}\n")
        return
    rows = [{"section": s.code, **i.model_dump()} for s in done.sections for i in s.items]
    emit(done, fmt, rows, ["section", "title", "detail", "status", "owner", "due", "value", "ref"])


_ACTION_COLUMNS = ["id", "title", "owner", "due_date", "status", "overdue", "committee"]


def parse_action(text: str) -> gov.NewAction:
    """``"title|owner|2026-12-01"`` -> an action item."""
    parts = [p.strip() for p in text.split("|")]
    if len(parts) != 3:
        raise UsageError(
            f"cannot read the action {text!r}",
            fix='write --action "what|who|YYYY-MM-DD" (title, owner, due date)',
        )
    try:
        due = datetime.date.fromisoformat(parts[2])
    except ValueError:
        raise UsageError(
            f"the action's due date {parts[2]!r} is not a date",
            fix="write the due date as YYYY-MM-DD",
        ) from None
    return gov.NewAction(title=parts[0], owner=parts[1], due_date=due)


@committee_app.command("decide")
def decide(
    committee: CommitteeRef,
    title: Annotated[str, typer.Argument(help="The decision, in a line.")],
    text: Annotated[str, typer.Option(help="Details, reasons.")] = "",
    action: Annotated[
        list[str] | None,
        typer.Option(help='An action item "what|who|YYYY-MM-DD" (repeat for several).'),
    ] = None,
    initiative: Annotated[int | None, typer.Option(help="Initiative it is about.")] = None,
    alert: Annotated[int | None, typer.Option(help="Alert it answers.")] = None,
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Log a committee's decision with its action items."""
    actions = [parse_action(a) for a in action or []]
    ws = workspace_of(workspace)
    with metadata(ws) as meta:
        found = gov.find_committee(meta, committee)
        done = gov.record_decision(
            meta,
            found.id,
            title,
            text,
            _actor(),
            today=today_in(ws),
            actions=actions,
            initiative_id=initiative,
            alert_id=alert,
        )
    emit(done, fmt, [a.model_dump() for a in done.actions], _ACTION_COLUMNS)


@committee_app.command("decisions")
def decisions(
    committee: Annotated[str | None, typer.Option(help="One committee's name.")] = None,
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """The decision log, newest first, with action items."""
    ws = workspace_of(workspace)
    with metadata(ws) as meta:
        done = gov.decision_log(meta, today=today_in(ws), committee=committee)
    rows = [
        {**d.model_dump(exclude={"actions"}), "actions": len(d.actions)} for d in done.decisions
    ]
    emit(done, fmt, rows, ["id", "committee", "decided_at", "title", "decided_by", "actions"])


@committee_app.command("action")
def action_add(
    title: Annotated[str, typer.Argument(help="What to do.")],
    owner: Annotated[str, typer.Option(help="Who does it.")],
    due: Annotated[datetime.datetime, typer.Option(help="Due date, YYYY-MM-DD.")],
    decision: Annotated[int | None, typer.Option(help="Decision it carries out.")] = None,
    committee: Annotated[str | None, typer.Option(help="Committee id or name.")] = None,
    alert: Annotated[int | None, typer.Option(help="Alert it answers.")] = None,
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Add an action item."""
    ws = workspace_of(workspace)
    with metadata(ws) as meta:
        committee_id = gov.find_committee(meta, committee).id if committee else None
        done = gov.add_action(
            meta,
            gov.NewAction(title=title, owner=owner, due_date=due.date()),
            _actor(),
            today=today_in(ws),
            decision_id=decision,
            committee_id=committee_id,
            alert_id=alert,
        )
    emit(done, fmt, [done.model_dump()], _ACTION_COLUMNS)


@committee_app.command("actions")
def actions(
    status: Annotated[str | None, typer.Option(help="open, done or cancelled.")] = None,
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Action items, open ones by due date first."""
    ws = workspace_of(workspace)
    with metadata(ws) as meta:
        done = gov.list_actions(meta, today=today_in(ws), status=status)
    emit(done, fmt, [a.model_dump() for a in done.actions], _ACTION_COLUMNS)


@committee_app.command("action-status")
def action_status(
    action_id: Annotated[int, typer.Argument(help="The action item's id.")],
    status: Annotated[str, typer.Argument(help="open, done or cancelled.")],
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Mark an action item done, cancelled, or open again."""
    ws = workspace_of(workspace)
    with metadata(ws) as meta:
        done = gov.set_action_status(meta, action_id, status, _actor(), today=today_in(ws))
    emit(done, fmt, [done.model_dump()], _ACTION_COLUMNS)


@committee_app.command("health")
def health(
    lang: LangOption = "en", workspace: WorkspaceOption = None, fmt: FormatOption = "table"
) -> None:
    """The strategy health check: each criterion from the data, else from answers."""
    ws = workspace_of(workspace)
    today = today_in(ws)
    with analytics(ws) as store, metadata(ws) as meta:
        done = health_check(store, meta, ws.settings, today=today, lang=lang)
    emit(
        done,
        fmt,
        [c.model_dump() for c in done.criteria],
        ["id", "area", "score", "source", "answer", "question"],
    )
    if fmt == "table":
        overall = "–" if done.overall is None else f"{done.overall:.0f}/100"
        sys.stdout.write(f"\noverall: {overall}\n")


@committee_app.command("answer")
def answer(
    question: Annotated[str, typer.Argument(help="The criterion's id, e.g. skills.seo.")],
    score: Annotated[int, typer.Argument(help="0 (not at all) to 4 (fully).")],
    note: Annotated[str | None, typer.Option(help="Why.")] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Answer a health-check question (used where the data can't score it)."""
    with metadata(workspace_of(workspace)) as meta:
        answer_question(meta, question, score, _actor(), note)
    print(f"answer recorded for {question}", file=sys.stderr)
