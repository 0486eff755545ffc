"""Report periods: an ISO week, a month or a quarter, parsed from what a user types."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Literal, get_args

from pilotage.core.kpis.periods import Period, period_label
from pilotage.errors import UsageError

ReportKind = Literal["weekly", "monthly", "quarterly"]
REPORT_KINDS: tuple[ReportKind, ...] = get_args(ReportKind)

#: The calendar period each report kind covers.
GRAIN: dict[ReportKind, Period] = {"weekly": "week", "monthly": "month", "quarterly": "quarter"}
#: Periods per year, to find the same period last year.
PER_YEAR: dict[ReportKind, int] = {"weekly": 52, "monthly": 12, "quarterly": 4}

_FORMS: dict[ReportKind, tuple[re.Pattern[str], str]] = {
    "weekly": (re.compile(r"(\d{4})-W(\d{2})"), "YYYY-Www, e.g. 2026-W43"),
    "monthly": (re.compile(r"(\d{4})-(\d{2})"), "YYYY-MM, e.g. 2026-10"),
    "quarterly": (re.compile(r"(\d{4})-Q(\d)"), "YYYY-Qn, e.g. 2026-Q3"),
}


@dataclass(frozen=True, order=True)
class ReportPeriod:
    """Inclusive calendar days of one week (ISO, Monday first), month or quarter."""

    start: datetime.date
    end: datetime.date
    kind: ReportKind

    @property
    def label(self) -> str:
        return period_label(self.start, GRAIN[self.kind])

    def shifted(self, steps: int) -> ReportPeriod:
        """The period ``steps`` periods later (earlier when negative)."""
        if self.kind == "weekly":
            return period_of("weekly", self.start + datetime.timedelta(weeks=steps))
        months = 1 if self.kind == "monthly" else 3
        index = self.start.year * 12 + self.start.month - 1 + steps * months
        return period_of(self.kind, datetime.date(index // 12, index % 12 + 1, 1))

    def year_before(self) -> ReportPeriod:
        """The same period last year (same ISO week number for weeks)."""
        if self.kind != "weekly":
            return self.shifted(-PER_YEAR[self.kind])
        year, week, _ = self.start.isocalendar()
        # Week 53 has no twin in a 52-week year; week 52 stands in for it.
        try:
            return period_of("weekly", datetime.date.fromisocalendar(year - 1, week, 1))
        except ValueError:
            return period_of("weekly", datetime.date.fromisocalendar(year - 1, 52, 1))


def period_of(kind: ReportKind, day: datetime.date) -> ReportPeriod:
    """The period of ``kind`` that contains ``day``."""
    if kind == "weekly":
        start = day - datetime.timedelta(days=day.weekday())
        return ReportPeriod(start, start + datetime.timedelta(days=6), kind)
    months = 1 if kind == "monthly" else 3
    first_month = (day.month - 1) // months * months + 1
    start = datetime.date(day.year, first_month, 1)
    following = first_month + months
    after = (
        datetime.date(day.year + 1, following - 12, 1)
        if following > 12
        else datetime.date(day.year, following, 1)
    )
    return ReportPeriod(start, after - datetime.timedelta(days=1), kind)


def accepted_forms() -> str:
    return "; ".join(f"{kind}: {form}" for kind, (_, form) in _FORMS.items())


def parse_period(kind: ReportKind | None, text: str, option: str = "--period") -> ReportPeriod:
    """Parse ``text`` for ``kind``; with no kind, the form of the text says which kind it is.

    Raises UsageError naming ``option`` and the accepted forms.
    """
    value = text.strip().upper()
    kinds = (kind,) if kind else REPORT_KINDS
    for candidate in kinds:
        pattern, _ = _FORMS[candidate]
        match = pattern.fullmatch(value)
        if match:
            return _from_parts(candidate, int(match[1]), int(match[2]), text, option)
    what = f"a {kind} period" if kind else "a report period"
    forms = _FORMS[kind][1] if kind else accepted_forms()
    raise UsageError(f"{option} {text!r} is not {what}", fix=f"write {option} as {forms}")


def _from_parts(kind: ReportKind, year: int, number: int, text: str, option: str) -> ReportPeriod:
    limits = {"weekly": 53, "monthly": 12, "quarterly": 4}
    try:
        if not 1 <= number <= limits[kind] or year < 1:
            raise ValueError(f"{number} is out of range")
        if kind == "weekly":
            return period_of(kind, datetime.date.fromisocalendar(year, number, 1))
        month = number if kind == "monthly" else (number - 1) * 3 + 1
        return period_of(kind, datetime.date(year, month, 1))
    except ValueError as exc:
        raise UsageError(
            f"{option} {text!r} does not exist ({exc})",
            fix=f"write {option} as {_FORMS[kind][1]}",
        ) from exc


def latest_complete(
    kind: ReportKind, today: datetime.date, last_data_day: datetime.date | None
) -> ReportPeriod:
    """The last period that ended before ``today``, or earlier when the data stops earlier."""
    last_ended = period_of(kind, today).shifted(-1)
    if last_data_day is not None and last_data_day < last_ended.start:
        return period_of(kind, last_data_day)
    return last_ended
