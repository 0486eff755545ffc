"""Governance: the digital committee's vocabulary (roles, domains, cadences), the agenda each
cadence follows, and the strategy health check's scoring. Pure functions and constants."""
