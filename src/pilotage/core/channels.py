"""Default channel grouping: source / medium / campaign values -> a Pilotage channel.

In the spirit of GA4's default channel groups: an ordered list of rules, the first rule
whose patterns all match wins. Patterns are regular expressions matched against the
trimmed, lower-cased value as a whole. Rules are data: a workspace edits them in
``pilotage.toml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

CHANNELS: tuple[str, ...] = (
    "organic_search",
    "paid_search",
    "paid_social",
    "organic_social",
    "email",
    "display",
    "video",
    "affiliate",
    "referral",
    "direct",
    "events",
    "webinars",
    "content",
    "partners",
    "sales",
)

#: Channels bought from media platforms: the spend behind paid CAC.
PAID_CHANNELS: tuple[str, ...] = ("paid_search", "paid_social", "display", "video", "affiliate")

#: Channel given to values no rule maps; they are reported, never dropped.
UNASSIGNED = "unassigned"

_SEARCH = r"(google|bing|yahoo|duckduckgo|qwant|ecosia|baidu|yandex|startpage|search)(\..*)?"
_SOCIAL = (
    r"(facebook|fb|instagram|ig|linkedin|lnkd\.in|twitter|x|t\.co|tiktok|pinterest|reddit"
    r"|snapchat|youtube|threads|mastodon|meta)(\..*)?"
)
_VIDEO = r"(youtube|vimeo|dailymotion|twitch)(\..*)?"
_PAID = r"(.*cp.*|ppc|retargeting|paid.*|sea|sem)"
_SOCIAL_MEDIUM = r"social|social[-_ ]?(network|media)|sm|organic[-_ ]?social"


@dataclass(frozen=True)
class ChannelRule:
    channel: str
    source: str | None = None
    medium: str | None = None
    campaign: str | None = None
    _compiled: tuple[tuple[str, re.Pattern[str]], ...] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        if not self.channel.strip():
            raise ValueError("a channel rule needs a channel name")
        parts = []
        for name in ("source", "medium", "campaign"):
            pattern = getattr(self, name)
            if pattern is None:
                continue
            try:
                parts.append((name, re.compile(pattern, re.IGNORECASE)))
            except re.error as exc:
                raise ValueError(
                    f"channel rule for {self.channel!r}: {name} pattern {pattern!r} "
                    f"is not a valid regular expression ({exc})"
                ) from exc
        if not parts:
            raise ValueError(
                f"channel rule for {self.channel!r} needs a source, medium or campaign pattern"
            )
        object.__setattr__(self, "_compiled", tuple(parts))

    def matches(self, values: dict[str, str]) -> bool:
        return all(p.fullmatch(values[name]) is not None for name, p in self._compiled)


DEFAULT_RULES: tuple[ChannelRule, ...] = (
    ChannelRule("direct", source=r"\(direct\)|direct", medium=r"\(none\)|\(not set\)|none|"),
    ChannelRule("sales", medium=r"sales|sdr|bdr|outbound"),
    ChannelRule("webinars", medium=r"webinars?"),
    ChannelRule("events", medium=r"events?|trade[-_ ]?show|conference|salon"),
    ChannelRule("partners", medium=r"partners?|partnership"),
    ChannelRule("affiliate", medium=r"affiliates?"),
    ChannelRule("email", source=r"e[-_ ]?mail|newsletter|hubspot|mailchimp|brevo|sendinblue"),
    ChannelRule("email", medium=r"e[-_ ]?mail|newsletter"),
    ChannelRule("video", source=_VIDEO, medium=_PAID),
    ChannelRule(
        "paid_social", source=_SOCIAL, medium=_PAID + r"|paid[-_ ]?social|social[-_ ]?paid"
    ),
    ChannelRule("paid_social", medium=r"paid[-_ ]?social|social[-_ ]?paid"),
    ChannelRule("paid_search", source=_SEARCH, medium=_PAID),
    ChannelRule("display", medium=r"display|banner|expandable|interstitial|cpm|programmatic"),
    ChannelRule("paid_search", medium=r"cpc|ppc|paid[-_ ]?search|sea|sem"),
    ChannelRule("organic_search", medium=r"organic"),
    ChannelRule("organic_search", source=_SEARCH),
    ChannelRule("video", source=_VIDEO),
    ChannelRule("organic_social", medium=_SOCIAL_MEDIUM),
    ChannelRule("organic_social", source=_SOCIAL),
    ChannelRule("content", medium=r"content|blog|seo[-_ ]?content"),
    ChannelRule("referral", medium=r"referral|link"),
)


@dataclass(frozen=True)
class Classification:
    """Channel per distinct (source, medium, campaign) triple, and the triples no rule maps."""

    channels: dict[tuple[str, str, str], str]
    unmapped: tuple[tuple[str, str, str], ...]


def normalise_channel(name: str) -> str:
    """Channel names are lower snake case: "Paid Search" -> "paid_search"."""
    return "_".join(name.strip().lower().replace("-", " ").split())


def classify(
    rules: Sequence[ChannelRule], triples: Iterable[tuple[str | None, str | None, str | None]]
) -> Classification:
    """Classify each distinct (source, medium, campaign) triple with the first matching rule.

    Missing values are matched as the empty string, so a rule on ``medium`` alone still
    applies to a row without a source. Triples that no rule maps get :data:`UNASSIGNED`.
    """
    channels: dict[tuple[str, str, str], str] = {}
    unmapped: list[tuple[str, str, str]] = []
    for triple in triples:
        source, medium, campaign = ((v or "").strip().lower() for v in triple)
        norm = (source, medium, campaign)
        if norm in channels:
            continue
        values = {"source": norm[0], "medium": norm[1], "campaign": norm[2]}
        channel = next((r.channel for r in rules if r.matches(values)), None)
        if channel is None:
            unmapped.append(norm)
            channel = UNASSIGNED
        channels[norm] = channel
    return Classification(channels, tuple(sorted(set(unmapped))))
