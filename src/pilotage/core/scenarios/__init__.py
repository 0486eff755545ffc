"""Scenario economics and the planner's estimates: pure functions, no I/O."""
