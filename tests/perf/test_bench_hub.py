"""Collects the hub benchmark's smoke run (pytest only collects test_*.py files)."""

from tests.perf.bench_hub import test_bench_hub_smoke

__all__ = ["test_bench_hub_smoke"]
