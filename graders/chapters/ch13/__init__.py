"""Chapter 13 — Generative models and unsupervised learning. POT (``ot``), scikit-learn and
networkx are the grader's oracles and are forbidden in the submission."""
from graders.authoring import Chapter

chapter = Chapter("ch13", title="Generative models and unsupervised learning",
                  preload=("numpy", "scipy", "sympy", "torch"),
                  forbidden=("ot", "sklearn", "networkx"),
                  exercises=("f_divergences", "wasserstein_ot", "sinkhorn", "gan_losses", "vae", "realnvp_moons",
                             "sym_generative"))
