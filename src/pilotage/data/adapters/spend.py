"""Checks shared by the ad-platform adapters that feed ``spend``."""

from __future__ import annotations

from pilotage.data.adapters.base import Frame, Values


def check_daily_keys(frame: Frame, canonical: dict[str, Values], fix: str) -> None:
    """One row per (date, campaign_id, ad_group): a second one would overwrite the first on
    load (spend is upserted on that key), so an export segmented by anything else (device,
    network, ad) is refused instead of silently losing money."""
    seen: dict[tuple[str | None, ...], int] = {}
    keys = zip(canonical["date"], canonical["campaign_id"], canonical["ad_group"], strict=True)
    for row, key in enumerate(keys):
        if key[0] is None or key[1] is None:
            continue
        first = seen.setdefault(key, row)
        if first != row:
            frame.error(
                row,
                "campaign_id",
                key[1],
                f"{frame.label}: a second row for date {key[0]}, campaign {key[1]}"
                + (f", ad group {key[2]}" if key[2] else "")
                + f" (the first is on line {frame.lines[first]})",
                fix,
            )
