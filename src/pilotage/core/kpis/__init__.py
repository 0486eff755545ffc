"""KPI computations: set-based expressions over canonical tables, ratios from summed parts."""
