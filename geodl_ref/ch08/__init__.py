"""Chapter 8 — Graph neural networks: graphs up to relabelling, and the tests that tell them apart."""
