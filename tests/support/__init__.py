"""Code the tests and the benchmarks share that must never grade a real class (the in-process floor)."""
