"""Where the chart bundle built at setup lives (never fetched at run time, never committed)."""

from __future__ import annotations

import os
from pathlib import Path

ENV_FRONTEND_DIST = "PILOTAGE_FRONTEND_DIST"
CHARTS_BUNDLE = "charts.js"


def frontend_dist() -> Path:
    """$PILOTAGE_FRONTEND_DIST, else frontend/dist in the source checkout (``make setup``)."""
    env = os.environ.get(ENV_FRONTEND_DIST, "").strip()
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[4] / "frontend" / "dist"


def charts_available() -> bool:
    return (frontend_dist() / CHARTS_BUNDLE).is_file()
