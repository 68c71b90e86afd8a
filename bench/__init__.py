"""Reproducible benchmarks; `make bench` runs them (see bench/README.md)."""
