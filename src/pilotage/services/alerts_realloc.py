"""The budget move an alert suggests: from the saved mix model's reallocation proposal when
there is one, else from the paid channels' ROI over the last 13 weeks (KPI engine)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from pilotage.core.monitoring.severity import is_bad, polarity
from pilotage.data.settings import WorkspaceSettings
from pilotage.data.store import AnalyticsStore
from pilotage.data.workspace import Workspace
from pilotage.services.alerts_types import Candidate, Move
from pilotage.services.budget_plan import reallocation_proposal
from pilotage.services.kpis import kpi_table

RETURN_WEEKS = 13
#: Share of the source channel's monthly spend a suggestion moves (when no gap says more).
MOVED_SHARE = 0.2
_MONTH_OF_WEEKS = 365.25 / 12 / 7


@dataclass(frozen=True)
class ChannelReturn:
    channel: str
    #: Spend per month over the last weeks.
    monthly_cost: float
    roi: float | None


def channel_returns(
    store: AnalyticsStore, settings: WorkspaceSettings, end: datetime.date
) -> list[ChannelReturn]:
    """Paid channels (cost > 0) with their ROI over the ``RETURN_WEEKS`` weeks to ``end``."""
    start = end - datetime.timedelta(weeks=RETURN_WEEKS) + datetime.timedelta(days=1)
    table = kpi_table(
        store, settings, metrics=["cost", "roi"], by=["channel"], start=start, end=end
    )
    out = []
    for row in table.rows:
        cost = row.get("cost")
        if isinstance(cost, int | float) and cost > 0:
            roi = row.get("roi")
            out.append(
                ChannelReturn(
                    channel=str(row["channel"]),
                    monthly_cost=float(cost) / RETURN_WEEKS * _MONTH_OF_WEEKS,
                    roi=float(roi) if isinstance(roi, int | float) else None,
                )
            )
    return out


def suggest(
    candidate: Candidate,
    returns: Sequence[ChannelReturn],
    proposal: Sequence[Move],
    currency: str,
) -> Move | None:
    """A move for a change that hurts (or spend off plan); None for good news.

    With a mix-model proposal, its move touching the alert's channel (else its largest).
    Otherwise: an underspent channel's unspent budget, an overspent channel's excess, or a
    share of a hurting paid channel's spend, goes to the best-ROI channel; a hurting
    change elsewhere (organic, total) moves a share of the worst-ROI channel's spend to
    the best.
    """
    channel = candidate.slice_value if candidate.dimension == "channel" else None
    if candidate.rule == "anomaly":
        bad = is_bad(candidate.direction, polarity(candidate.metric_id, channel))
        if not bad:
            return None
    if proposal:
        touching = [m for m in proposal if channel in (m.from_channel, m.to_channel)]
        return max(touching or proposal, key=lambda m: m.amount)
    ranked = sorted((r for r in returns if r.roi is not None), key=lambda r: r.roi or 0.0)
    if len(ranked) < 2:
        return None
    by_name = {r.channel: r for r in ranked}
    best, worst = ranked[-1], ranked[0]
    gap = float(candidate.details.get("gap", 0.0))
    if candidate.kind in ("underspend", "overspend") and channel in by_name:
        source, amount = by_name[channel], abs(gap)
    elif channel in by_name:
        source = by_name[channel]
        amount = MOVED_SHARE * source.monthly_cost
    else:
        source = worst
        amount = MOVED_SHARE * worst.monthly_cost
    target = best if source.channel != best.channel else ranked[-2]
    if source.channel == best.channel and candidate.kind == "underspend":
        # The best channel underspends: nothing better to move its budget to.
        return None
    if source.channel == best.channel and candidate.kind == "overspend":
        # The best channel runs ahead of plan: fund it from the worst rather than cut it.
        source, target = worst, best
    if amount <= 0:
        return None
    return Move(
        basis="roi",
        from_channel=source.channel,
        to_channel=target.channel,
        amount=amount,
        currency=currency,
        from_roi=source.roi,
        to_roi=target.roi,
    )


def roi_proposal(returns: Sequence[ChannelReturn], currency: str) -> list[Move]:
    """Without a mix model: a share of the lowest-ROI paid channel's monthly spend to the
    highest-ROI one (empty when fewer than two channels have an ROI, or they tie)."""
    ranked = sorted((r for r in returns if r.roi is not None), key=lambda r: r.roi or 0.0)
    if len(ranked) < 2 or (ranked[0].roi or 0.0) >= (ranked[-1].roi or 0.0):
        return []
    worst, best = ranked[0], ranked[-1]
    return [
        Move(
            basis="roi",
            from_channel=worst.channel,
            to_channel=best.channel,
            amount=MOVED_SHARE * worst.monthly_cost,
            currency=currency,
            from_roi=worst.roi,
            to_roi=best.roi,
        )
    ]


def proposal_moves(workspace: Workspace) -> list[Move]:
    """The saved mix model's reallocation proposal as monthly moves between channels (empty
    when no model is saved)."""
    proposal = reallocation_proposal(workspace, weeks=RETURN_WEEKS)
    if proposal is None:
        return []
    per_month = _MONTH_OF_WEEKS / proposal.weeks
    mroas = {c.channel: c.mroas for c in proposal.channels}
    return [
        Move(
            basis="mix_model",
            from_channel=m.source,
            to_channel=m.target,
            amount=m.amount * per_month,
            currency=workspace.settings.reporting_currency,
            from_roi=mroas.get(m.source),
            to_roi=mroas.get(m.target),
        )
        for m in proposal.move_details
        if m.source is not None and m.target is not None and m.amount > 0
    ]
