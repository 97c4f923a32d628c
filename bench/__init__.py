"""Benchmarks at the ward's scale and beyond: bench_build, bench_pages, bench_load.

Depends on every other app; nothing imports it. See docs/performance.md."""
