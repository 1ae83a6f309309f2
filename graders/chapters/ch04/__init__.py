"""Chapter 4 — reproducing kernel Hilbert spaces and the representer theorem: the grader spec.

Four numpy exercises in the row convention (points are rows, ``X : (n, d)``) and one
symbolic-answer exercise (``ch04/derivations.py``). Kernels are plain callables
``k(X:(n, d), Z:(m, d)) -> (n, m)``: the grader writes them (``CheckContext.function``) and the
student's combinators return new ones, which stay in the worker as handles. scikit-learn, POT and
networkx are the grader's oracles and are forbidden in the submission.
"""
from graders.grading.spec import Chapter

chapter = Chapter("ch04", title="RKHS and the representer theorem", preload=("numpy", "scipy", "sympy"))

#: Grader-side oracles that no exercise of the chapter may use.
FORBIDDEN = ("sklearn", "ot", "networkx")

# Registration order is the order of the exercises in tables and feedback (CURRICULUM.md's).
from graders.chapters.ch04 import kernel_psd  # noqa: E402,F401,I001
from graders.chapters.ch04 import rkhs_ops  # noqa: E402,F401
from graders.chapters.ch04 import kernel_ridge  # noqa: E402,F401
from graders.chapters.ch04 import kernel_svm_nobias  # noqa: E402,F401
from graders.chapters.ch04 import sym_kernels  # noqa: E402,F401
