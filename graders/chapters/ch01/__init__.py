"""Chapter 1 — mathematical preliminaries: the grader spec.

Five numpy exercises (Kronecker/VEC, matrix calculus, frames, convex conjugates, duality) and two
symbolic-answer exercises (closed-form conjugates, matrix gradients). The grader's own oracles
(scikit-learn, POT, networkx) are forbidden in every submission, and numpy's Kronecker product in
the exercise that asks for one.
"""
from graders.authoring import Chapter

# Exercises in CURRICULUM.md's order (that of tables and feedback), the symbolic-answer ones last.
chapter = Chapter("ch01", title="Mathematical preliminaries", preload=("numpy", "scipy", "sympy"),
                  forbidden=("sklearn", "ot", "networkx"),      # the grader's oracles
                  exercises=("vec_kron", "matrix_calculus", "frames", "convex_conjugate", "prox_duality",
                             "sym_conjugates", "sym_matrix_gradients"))
