"""Calculators: pure functions for cost curves and latency budgets (no I/O, no UI)."""
