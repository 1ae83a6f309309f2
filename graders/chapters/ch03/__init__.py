"""Chapter 3 — linear, logistic and kernel regression: the grader spec.

Four numpy exercises in the book's column convention (samples are columns, ``X : (p, N)``,
eq 3.3) and two symbolic-answer exercises (``ch03/derivations.py``). scikit-learn, POT and
networkx are the grader's oracles and are forbidden in the submission.
"""
from graders.grading.spec import Chapter

chapter = Chapter("ch03", title="Linear, logistic and kernel regression", preload=("numpy", "scipy", "sympy"))

#: Grader-side oracles that no exercise of the chapter may use.
FORBIDDEN = ("sklearn", "ot", "networkx")

# Registration order is the order of the exercises in tables and feedback (CURRICULUM.md's).
from graders.chapters.ch03 import least_squares  # noqa: E402,F401,I001
from graders.chapters.ch03 import logistic_regression  # noqa: E402,F401
from graders.chapters.ch03 import softmax_regression  # noqa: E402,F401
from graders.chapters.ch03 import bias_variance  # noqa: E402,F401
from graders.chapters.ch03 import sym_ridge  # noqa: E402,F401
from graders.chapters.ch03 import sym_logistic  # noqa: E402,F401
