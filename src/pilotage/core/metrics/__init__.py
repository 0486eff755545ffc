"""Metric definitions: every number the product shows, defined once, as data."""
