"""Benchmarks: `make bench` (or `python -m bench [name ...]`) writes docs/benchmarks.md."""
