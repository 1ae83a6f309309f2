"""Chapter 10 — Geometry of deep neural networks: frames, shrinkage and the partitions a ReLU net draws."""
