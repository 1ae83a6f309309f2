"""Chapter 9 — Normalization and attention: feature statistics, style transfer, attention."""
