"""Chapter 12 — Generalization: the bounds that turn an empirical risk into a guarantee."""
