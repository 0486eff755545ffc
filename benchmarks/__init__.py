"""Benchmarks: run by hand, print a table and write JSON; never asserted in tests."""
