"""Chapter 4 — reproducing kernel Hilbert spaces and the representer theorem: the grader spec.

Four numpy exercises in the row convention (points are rows, ``X : (n, d)``) and one
symbolic-answer exercise (``ch04/derivations.py``). Kernels are plain callables
``k(X:(n, d), Z:(m, d)) -> (n, m)``: the grader writes them (``CheckContext.function``) and the
student's combinators return new ones, which stay in the worker as handles. scikit-learn, POT and
networkx are the grader's oracles and are forbidden in the submission.
"""
from graders.authoring import Chapter

chapter = Chapter("ch04", title="RKHS and the representer theorem", preload=("numpy", "scipy", "sympy"),
                  forbidden=("sklearn", "ot", "networkx"),
                  exercises=("kernel_psd", "rkhs_ops", "kernel_ridge", "kernel_svm_nobias", "sym_kernels"))
