"""Every adapter by (source, table), for ``pilotage load TABLE FILE --source SOURCE``."""

from __future__ import annotations

from pilotage.data.adapters import ga4, google_ads, hubspot, linkedin_ads, meta_ads, salesforce
from pilotage.data.adapters.base import Adapter
from pilotage.errors import UsageError

ADAPTERS: dict[tuple[str, str], Adapter] = {
    (a.source, a.table): a
    for a in (
        google_ads.ADAPTER,
        meta_ads.ADAPTER,
        linkedin_ads.ADAPTER,
        hubspot.PEOPLE,
        hubspot.ACCOUNTS,
        hubspot.OPPORTUNITIES,
        salesforce.OPPORTUNITIES,
        salesforce.CAMPAIGNS,
        salesforce.TOUCHPOINTS,
        ga4.ADAPTER,
    )
}


def get_adapter(source: str, table: str) -> Adapter:
    """The adapter for this export, or a UsageError listing the valid pairs."""
    adapter = ADAPTERS.get((source.strip().lower(), table.strip().lower()))
    if adapter is None:
        pairs = ", ".join(f"--source {s} for {t}" for s, t in sorted(ADAPTERS))
        raise UsageError(
            f"no adapter for source {source!r} and table {table!r}", fix=f"use {pairs}"
        )
    return adapter
