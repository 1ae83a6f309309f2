"""Chapter 3 — linear, logistic and kernel regression: the grader spec.

Four numpy exercises in the book's column convention (samples are columns, ``X : (p, N)``,
eq 3.3) and two symbolic-answer exercises (``ch03/derivations.py``). scikit-learn, POT and
networkx are the grader's oracles and are forbidden in the submission.
"""
from graders.authoring import Chapter

chapter = Chapter("ch03", title="Linear, logistic and kernel regression", preload=("numpy", "scipy", "sympy"),
                  forbidden=("sklearn", "ot", "networkx"),
                  exercises=("least_squares", "logistic_regression", "softmax_regression", "bias_variance",
                             "sym_ridge", "sym_logistic"))
