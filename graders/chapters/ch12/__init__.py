"""Chapter 12 — Generalization: VC dimension by enumeration, Rademacher complexity, the bounds,
double descent, and a symbolic exercise on the bounds' formulas (``ch12/derivations.py``).
scikit-learn, POT and networkx are the grader's oracles and are forbidden in the submission."""
from graders.authoring import Chapter

chapter = Chapter("ch12", title="Generalization", preload=("numpy", "scipy", "sympy"),
                  forbidden=("sklearn", "ot", "networkx"),
                  exercises=("vc_shattering", "rademacher", "bounds", "double_descent", "sym_generalization"))
