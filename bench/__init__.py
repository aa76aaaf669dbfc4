"""Benchmarks. Each module measures a baseline in the same run and prints the ratio."""
