"""Allbound: target account lists shared by sales and marketing, their goals, and the
account engagement score (pure rules and set-based expressions, no I/O)."""
