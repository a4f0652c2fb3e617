"""Benchmarks: ``python -m benchmarks`` builds synthetic registries with site_builder and Hugo, side by side."""
