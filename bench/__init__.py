"""Huiyin's benchmark harness: `python -m bench.run --smoke | --full` (see docs/benchmarks.md)."""
