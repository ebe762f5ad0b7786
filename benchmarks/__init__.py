"""Speed benchmarks for the product's performance targets (not tests: nothing here asserts).

Each module is runnable as ``python -m benchmarks.<name>`` and prints median and p95 over several
runs; ``benchmarks/run`` runs them all and prints one table. See ``benchmarks/README.md``.
"""
