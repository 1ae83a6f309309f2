"""Chapter 4 — reproducing kernel Hilbert spaces and the representer theorem (row convention)."""
