"""Roll analysed texts up: sentiment counts by any key, theme mentions with their sentiment
and trend, themes over- or under-represented at a journey stage. Pure: records in, counts
out."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from pilotage.core.voice.analysis import TextAnalysis


@dataclass(frozen=True)
class Record:
    """A text and what the data says about it."""

    text: str
    #: "survey" (a comment on an answer) or the conversation's source.
    source: str
    language: str | None
    posted_at: datetime.datetime
    #: Label of the reporting period of its local day.
    period: str
    account_id: str | None = None
    survey_type: str | None = None
    score: float | None = None
    journey_stage: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Analysed:
    record: Record
    analysis: TextAnalysis

    def mentions(self, theme: str) -> bool:
        return any(m.theme == theme for m in self.analysis.themes)

    def theme_label(self, theme: str) -> str | None:
        return next((m.label for m in self.analysis.themes if m.theme == theme), None)


@dataclass(frozen=True)
class Counts:
    texts: int
    positive: int
    neutral: int
    negative: int
    mean_score: float | None

    @property
    def negative_share(self) -> float | None:
        return self.negative / self.texts if self.texts else None

    @property
    def net(self) -> float | None:
        """(positive - negative) / texts, in [-1, 1]."""
        return (self.positive - self.negative) / self.texts if self.texts else None


def counts(labels: Sequence[str], scores: Sequence[float]) -> Counts:
    n = len(labels)
    return Counts(
        n,
        sum(1 for x in labels if x == "positive"),
        sum(1 for x in labels if x == "neutral"),
        sum(1 for x in labels if x == "negative"),
        sum(scores) / n if n else None,
    )


def sentiment_by(
    items: Iterable[Analysed], key: Callable[[Analysed], str | None]
) -> dict[str, Counts]:
    """Sentiment counts of the texts per key (texts whose key is None are left out)."""
    groups: dict[str, list[Analysed]] = defaultdict(list)
    for item in items:
        k = key(item)
        if k is not None:
            groups[k].append(item)
    return {
        k: counts(
            [a.analysis.sentiment.label for a in group], [a.analysis.sentiment.score for a in group]
        )
        for k, group in sorted(groups.items())
    }


def theme_counts(items: Sequence[Analysed], theme: str) -> Counts:
    """Mentions of ``theme`` with the sentiment of the sentences mentioning it."""
    mentions = [m for a in items for m in a.analysis.themes if m.theme == theme]
    return counts([m.label for m in mentions], [m.score for m in mentions])


@dataclass(frozen=True)
class StageTheme:
    theme: str
    mentions: int
    negative: int
    #: Share of the stage's texts with a negative mention of the theme.
    negative_share: float
    #: That share over the same share across every stage (> 1: over-represented here).
    lift: float | None


def stage_themes(
    items: Sequence[Analysed], stage_of: Callable[[Analysed], str | None], themes: Sequence[str]
) -> dict[str, list[StageTheme]]:
    """Per stage, each mentioned theme's negative mentions and how much more often texts at
    that stage complain about it than texts at every stage do."""
    staged = [(stage_of(a), a) for a in items]
    staged = [(s, a) for s, a in staged if s is not None]
    total = len(staged)
    overall = {
        t: sum(1 for _, a in staged if a.theme_label(t) == "negative") / total if total else 0.0
        for t in themes
    }
    by_stage: dict[str, list[Analysed]] = defaultdict(list)
    for stage, a in staged:
        assert stage is not None
        by_stage[stage].append(a)
    out: dict[str, list[StageTheme]] = {}
    for stage, group in sorted(by_stage.items()):
        rows = []
        for t in themes:
            mentions = sum(1 for a in group if a.mentions(t))
            if not mentions:
                continue
            negative = sum(1 for a in group if a.theme_label(t) == "negative")
            share = negative / len(group)
            lift = share / overall[t] if overall[t] else None
            rows.append(StageTheme(t, mentions, negative, share, lift))
        out[stage] = sorted(rows, key=lambda r: (-r.negative, -r.mentions, r.theme))
    return out


def examples(
    items: Sequence[Analysed], label: str, limit: int, theme: str | None = None
) -> list[Analysed]:
    """The most clearly ``label`` texts (about ``theme``: by the sentiment of the sentences
    that mention it), strongest first; distinct texts only."""
    sign = -1.0 if label == "negative" else 1.0

    def score(a: Analysed) -> float:
        if theme is None:
            return a.analysis.sentiment.score
        return next(m.score for m in a.analysis.themes if m.theme == theme)

    chosen = [
        a
        for a in items
        if (theme is None and a.analysis.sentiment.label == label)
        or (theme is not None and a.theme_label(theme) == label)
    ]
    # Strongest first, then the fewest themes (a text about this theme alone), then short.
    chosen.sort(key=lambda a: (-sign * score(a), len(a.analysis.themes), len(a.record.text)))
    seen: set[str] = set()
    out = []
    for a in chosen:
        if a.record.text not in seen:
            seen.add(a.record.text)
            out.append(a)
        if len(out) == limit:
            break
    return out
