"""Calendar periods in the workspace time zone: local days, ISO weeks, spans and labels."""

from __future__ import annotations

import datetime as dt
import itertools

import ibis
import pyarrow as pa
import pytest

from pilotage.core.kpis.assemble import all_periods, label
from pilotage.core.kpis.periods import local_date, period_label, period_spans, period_start

D = dt.date


@pytest.mark.parametrize(
    ("instant", "zone", "day"),
    [
        # winter (UTC+1): 23:30 UTC on the last day of January is 1 February in Paris
        (dt.datetime(2026, 1, 31, 23, 30, tzinfo=dt.UTC), "Europe/Paris", D(2026, 2, 1)),
        (dt.datetime(2026, 1, 31, 22, 59, tzinfo=dt.UTC), "Europe/Paris", D(2026, 1, 31)),
        # summer (UTC+2): 22:30 UTC on 30 June is 1 July in Paris, 23:59 on 31 December
        # is the next year
        (dt.datetime(2026, 6, 30, 22, 30, tzinfo=dt.UTC), "Europe/Paris", D(2026, 7, 1)),
        (dt.datetime(2025, 12, 31, 23, 59, tzinfo=dt.UTC), "Europe/Paris", D(2026, 1, 1)),
        (dt.datetime(2026, 3, 31, 23, 30, tzinfo=dt.UTC), "Europe/Paris", D(2026, 4, 1)),
        (dt.datetime(2026, 3, 31, 23, 30, tzinfo=dt.UTC), "UTC", D(2026, 3, 31)),
        (dt.datetime(2026, 4, 1, 2, 0, tzinfo=dt.UTC), "America/New_York", D(2026, 3, 31)),
    ],
)
def test_local_date_of_a_utc_instant(instant: dt.datetime, zone: str, day: dt.date) -> None:
    t = ibis.memtable(pa.table({"at": pa.array([instant], pa.timestamp("us", tz="UTC"))}))
    got = t.select(day=local_date(t.at, zone)).to_pyarrow().column("day").to_pylist()
    assert got == [day]


@pytest.mark.parametrize(
    ("day", "period", "start"),
    [
        (D(2026, 4, 1), "day", D(2026, 4, 1)),
        (D(2026, 1, 1), "week", D(2025, 12, 29)),  # Thursday; ISO week 1 starts Monday
        (D(2026, 3, 29), "week", D(2026, 3, 23)),  # Sunday belongs to the week before
        (D(2026, 3, 31), "month", D(2026, 3, 1)),
        (D(2026, 5, 17), "quarter", D(2026, 4, 1)),
        (D(2026, 12, 31), "year", D(2026, 1, 1)),
    ],
)
def test_period_start_in_sql_and_in_python_agree(day: dt.date, period: str, start: dt.date) -> None:
    t = ibis.memtable(pa.table({"d": pa.array([day], pa.date32())}))
    got = t.select(s=period_start(t.d, period)).to_pyarrow().column("s").to_pylist()  # type: ignore[arg-type]
    assert got == [start]
    assert period_spans(day, day, period)[0][0] == start  # type: ignore[arg-type]


def test_labels() -> None:
    assert period_label(D(2026, 4, 1), "day") == "2026-04-01"
    assert period_label(D(2025, 12, 29), "week") == "2026-W01"
    assert period_label(D(2026, 3, 1), "month") == "2026-03"
    assert period_label(D(2026, 10, 1), "quarter") == "2026-Q4"
    assert period_label(D(2026, 1, 1), "year") == "2026"
    assert label("cohort", D(2026, 2, 1), None) == "2026-02"
    assert label("cohort", None, None) == "unknown"
    assert label("period_start", D(2026, 2, 1), "quarter") == "2026-Q1"
    assert label("channel", "email", "month") == "email"


def test_spans_are_clipped_to_the_window_and_cover_it_without_gaps() -> None:
    spans = period_spans(D(2026, 1, 15), D(2026, 4, 10), "month")
    assert spans == (
        (D(2026, 1, 1), D(2026, 1, 15), D(2026, 1, 31)),
        (D(2026, 2, 1), D(2026, 2, 1), D(2026, 2, 28)),
        (D(2026, 3, 1), D(2026, 3, 1), D(2026, 3, 31)),
        (D(2026, 4, 1), D(2026, 4, 1), D(2026, 4, 10)),
    )
    for period in ("day", "week", "month", "quarter", "year"):
        spans = period_spans(D(2025, 11, 20), D(2026, 3, 3), period)  # type: ignore[arg-type]
        assert spans[0][1] == D(2025, 11, 20) and spans[-1][2] == D(2026, 3, 3)
        for (_, _, last), (_, first, _) in itertools.pairwise(spans):
            assert first - last == dt.timedelta(days=1)
    assert period_spans(D(2024, 2, 29), D(2024, 3, 1), "quarter") == (
        (D(2024, 1, 1), D(2024, 2, 29), D(2024, 3, 1)),
    )


def test_all_periods_needs_a_closed_window_and_a_period() -> None:
    assert all_periods(None, D(2026, 1, 1), "month") == []
    assert all_periods(D(2026, 1, 1), D(2026, 3, 1), None) == []
    assert all_periods(D(2025, 12, 31), D(2026, 1, 1), "year") == [D(2025, 1, 1), D(2026, 1, 1)]
