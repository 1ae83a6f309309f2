"""Chapter 13 — Generative models and unsupervised learning: f-divergences, optimal transport,
Sinkhorn, GAN and VAE losses, normalizing flows."""
