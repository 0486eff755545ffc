"""The one decision rule, the same in every view: a variant wins when its interval (the
confidence interval, the credible interval or the confidence sequence, at 1 - alpha) lies
entirely above zero, loses when it lies entirely below, and is inconclusive otherwise.
With several comparisons, the adjusted p-value must also be below alpha."""

from __future__ import annotations

from typing import Literal

Verdict = Literal["winner", "loser", "inconclusive"]
Decision = Literal["ship", "keep_control", "inconclusive", "check_data"]


def verdict(
    low: float | None, high: float | None, adjusted_p: float | None, alpha: float
) -> Verdict:
    significant = adjusted_p is None or adjusted_p < alpha
    if low is not None and low > 0 and significant:
        return "winner"
    if high is not None and high < 0 and significant:
        return "loser"
    return "inconclusive"


def decide(verdicts: list[Verdict], sample_ratio_broken: bool) -> Decision:
    """Ship when a variant wins; keep the control when every variant loses; check the data
    first when the split does not match the plan (no result can be trusted)."""
    if sample_ratio_broken:
        return "check_data"
    if "winner" in verdicts:
        return "ship"
    if verdicts and all(v == "loser" for v in verdicts):
        return "keep_control"
    return "inconclusive"
