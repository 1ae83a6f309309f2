"""Chapter 5 — Biological neural networks (computational): the grader spec.

Spiking neurons simulated in numpy (the leaky integrate-and-fire neuron by forward Euler); no
exercise may hand the integration to a library solver.
"""
from graders.authoring import Chapter

chapter = Chapter("ch05", title="Biological neural networks (computational)", preload=("numpy",),
                  forbidden=("sklearn", "ot", "networkx"),
                  exercises=("lif", "plasticity", "hodgkin_huxley", "v1_gabor", "sym_neurons"))
