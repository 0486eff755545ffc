"""Reference data sets, read once: the CDNOW sample and the donation data."""

from __future__ import annotations

from pathlib import Path

import pytest

from pilotage.core.clv.summary import Summary
from pilotage.data.clv_files import read_summary

FIXTURES = Path(__file__).parents[2] / "fixtures" / "clv"


@pytest.fixture(scope="session")
def cdnow() -> Summary:
    """CDNOW sample, 2357 customers, weeks (tests/fixtures/clv/README.md says where from)."""
    return read_summary(FIXTURES / "cdnow_sample_summary.csv", "spend")


@pytest.fixture(scope="session")
def donations() -> Summary:
    """Fader, Hardie and Shang (2010) Table 1: 22 patterns, 11,104 donors, n = 6."""
    return read_summary(FIXTURES / "donations.csv", "discrete")
