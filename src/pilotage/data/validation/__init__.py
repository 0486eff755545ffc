"""Validation: a RawTable checked against a table spec becomes a TypedTable."""

from pilotage.data.validation.coerce import coerce

__all__ = ["coerce"]
