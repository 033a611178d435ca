"""Benchmarks of the service: `make bench` (python -m bench). They print figures; they assert nothing."""
