"""Chapter 5 — Biological neural networks (computational): spiking neuron models, simulated."""
