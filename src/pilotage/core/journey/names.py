"""Unknown event names, reported with the closest names the data holds."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence

from pilotage.core.journey.steps import EventMatcher, Source
from pilotage.errors import UsageError

#: Close matches listed for an unknown name.
SUGGESTIONS = 3


def asked_values(matchers: Sequence[EventMatcher]) -> dict[tuple[Source, str], set[str]]:
    """(source, field) -> the values the matchers name (stages are checked when built)."""
    asked: dict[tuple[Source, str], set[str]] = {}
    for matcher in matchers:
        if matcher.source == "stage":
            continue
        for field, values in matcher.filters:
            asked.setdefault((matcher.source, field), set()).update(values)
    return asked


def check_known(
    asked: Mapping[tuple[Source, str], set[str]], known: Mapping[tuple[Source, str], set[str]]
) -> None:
    """Refuse every asked value the data does not hold, each with its close matches. A
    source with no event at all is not checked: its funnels are empty, not wrong."""
    problems = []
    for (source, field), values in sorted(asked.items()):
        present = known.get((source, field), set())
        if not present:
            continue
        for value in sorted(values - present):
            close = difflib.get_close_matches(value, sorted(present), n=SUGGESTIONS, cutoff=0.5)
            hint = f" (did you mean {', '.join(map(repr, close))}?)" if close else ""
            problems.append(f"{source}.{field} {value!r} is in no event{hint}")
    if problems:
        raise UsageError(
            "; ".join(problems),
            fix="use names the data holds ('pilotage paths --events' lists them)",
        )
