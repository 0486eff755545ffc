"""Fact tables of the KPI engine: one Ibis expression per source, with a local ``day`` (or
``period_start`` for stock facts), the dimension columns it can be sliced by, and one
additive column per measure."""
