"""Helpers shared by the test modules and by the benchmarks in bench/."""
