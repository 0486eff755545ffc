"""Write the committee packs of the latest complete periods, once per set of inputs, and
run the monitoring (alerts, webhook deliveries).

A pass writes ``<out-dir>/<kind>-<period>-<lang>.<fmt>`` and, next to it, a JSON manifest
holding the fingerprint of the numbers it shows. A later pass rewrites a document only when
it is missing or its numbers (or the Pilotage version) changed, so cron may call it as often
as it likes. Before the packs it runs the alerts (a change already stored is not raised
twice) and sends the webhook deliveries still pending or failed.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from pilotage import __version__
from pilotage.data.workspace import Workspace
from pilotage.errors import PilotageError
from pilotage.interfaces.formatting import Lang
from pilotage.interfaces.reports.render import ReportFormat, render_pack
from pilotage.services.alerts import run_alerts
from pilotage.services.alerts_realloc import proposal_moves
from pilotage.services.alerts_types import AlertRun, DeliveryReport
from pilotage.services.report_periods import ReportKind
from pilotage.services.reports import build_report, default_period
from pilotage.services.webhooks import deliver_pending, toml_webhooks
from pilotage.services.workspaces import analytics, metadata

#: Longest sleep between two passes: the loop wakes at least once an hour.
MAX_SLEEP_S = 3600.0


@dataclass(frozen=True)
class PassResult:
    written: tuple[Path, ...]
    unchanged: tuple[Path, ...]
    alerts: AlertRun | None = None
    delivery: DeliveryReport | None = None


def today_in(workspace: Workspace) -> datetime.date:
    """Today in the workspace's zone: a period is complete once it has ended there."""
    return datetime.datetime.now(ZoneInfo(workspace.settings.timezone)).date()


def run_pass(
    workspace: Workspace,
    out_dir: Path,
    *,
    kinds: Sequence[ReportKind],
    langs: Sequence[Lang],
    formats: Sequence[ReportFormat],
    today: datetime.date,
    alerts: bool = True,
) -> PassResult:
    """With ``alerts``, a monitoring run and the pending webhook deliveries; then one pass
    over every kind, language and format for the latest complete periods."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    unchanged: list[Path] = []
    with analytics(workspace) as store, metadata(workspace) as meta:
        # Alerts first: the packs' agendas list this pass's alerts, so a second pass over
        # the same data finds the same numbers and writes nothing.
        run, delivery = None, None
        if alerts:
            run = run_alerts(
                store,
                meta,
                workspace.settings,
                today=today,
                proposal=proposal_moves(workspace),
                webhook_urls=toml_webhooks(workspace.root),
            )
            delivery = deliver_pending(meta)
        for kind in kinds:
            period = default_period(store, kind, today)
            for lang in langs:
                data = build_report(store, workspace.settings, period, lang, meta)
                stamp = {"inputs_sha256": data.fingerprint(), "pilotage": __version__}
                for fmt in formats:
                    target = out_dir / f"{kind}-{period.label}-{lang}.{fmt}"
                    manifest = target.with_name(target.name + ".json")
                    if target.exists() and _recorded(manifest) == stamp:
                        unchanged.append(target)
                        continue
                    _write_atomic(target, render_pack(data, lang, fmt, today))
                    record = {
                        **stamp,
                        "kind": kind,
                        "period": period.label,
                        "lang": lang,
                        "format": fmt,
                        "generated_on": today.isoformat(),
                    }
                    _write_atomic(manifest, json.dumps(record, indent=2).encode("utf-8"))
                    written.append(target)
    return PassResult(tuple(written), tuple(unchanged), run, delivery)


def _recorded(manifest: Path) -> dict[str, object] | None:
    """The stamp a manifest records, or None when it is missing or unreadable."""
    try:
        raw = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(raw, dict):
        return None
    return {k: raw.get(k) for k in ("inputs_sha256", "pilotage")}


def _write_atomic(path: Path, content: bytes) -> None:
    """Readers (a web server, a mailer) never see a half-written document."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    partial.write_bytes(content)
    partial.replace(path)


def seconds_to_next_hour(now: datetime.datetime) -> float:
    following = now.replace(minute=0, second=0, microsecond=0) + datetime.timedelta(hours=1)
    return min(max((following - now).total_seconds(), 1.0), MAX_SLEEP_S)


def run_forever(
    one_pass: Callable[[], PassResult],
    *,
    clock: Callable[[], datetime.datetime] = lambda: datetime.datetime.now(datetime.UTC),
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Run a pass, then sleep until the next hour boundary; Ctrl-C stops it (caller's job).

    A failing pass (a locked workspace, a bad file) is reported on stderr and retried at
    the next hour rather than stopping the loop.
    """
    while True:
        try:
            one_pass()
        except PilotageError as error:
            print(f"error: {error}", file=sys.stderr, flush=True)
        sleep(seconds_to_next_hour(clock()))
