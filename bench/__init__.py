"""Benchmarks: reproducible figures for the issues' targets (see README, "Benchmarks")."""
