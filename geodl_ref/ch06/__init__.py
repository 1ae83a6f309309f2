"""Chapter 6 — artificial neural networks and backpropagation."""
