"""Chapter 11 — Deep learning optimization: the grader spec.

Gradient descent under the Polyak–Łojasiewicz condition and the linear (NTK) training dynamics
(numpy, with scipy's ``expm`` as the grader's oracle), the empirical and infinite-width neural
tangent kernels (torch), and a symbolic-answer exercise (``ch11/derivations.py``). scikit-learn,
POT and networkx are the grader's oracles elsewhere and are forbidden in the submission.
"""
from graders.authoring import Chapter

chapter = Chapter("ch11", title="Deep learning optimization", preload=("numpy", "sympy", "torch"),
                  forbidden=("sklearn", "ot", "networkx"),
                  exercises=("pl_gd", "ntk_dynamics", "empirical_ntk", "ntk_infinite_width", "sym_dynamics"))
