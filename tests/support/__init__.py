"""Test support code shared by tests and benchmarks (no pytest imports here)."""
