"""Monitoring: anomalies in weekly KPI series, spend pacing against plan, CPA drift, and the
decomposition of a change by slice. Pure functions over arrays and numbers."""
