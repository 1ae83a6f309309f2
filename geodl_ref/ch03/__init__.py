"""Chapter 3 — linear, logistic and kernel regression (book column convention: samples are columns)."""
