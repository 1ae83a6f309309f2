"""Chapter 1 — mathematical preliminaries: the grader spec.

Five numpy exercises (Kronecker/VEC, matrix calculus, frames, convex conjugates, duality) and two
symbolic-answer exercises (closed-form conjugates, matrix gradients). The grader's own oracles
(scikit-learn, POT, networkx) are forbidden in every submission, and numpy's Kronecker product in
the exercise that asks for one.
"""
from graders.grading.spec import Chapter

chapter = Chapter("ch01", title="Mathematical preliminaries", preload=("numpy", "scipy", "sympy"))

#: Libraries the graders use as oracles: never allowed in a submission of this chapter.
ORACLES = ("sklearn", "ot", "networkx")

# Registration order is the order of the exercises in tables and feedback (CURRICULUM.md's),
# the symbolic-answer exercises last.
from graders.chapters.ch01 import vec_kron  # noqa: E402,F401,I001
from graders.chapters.ch01 import matrix_calculus  # noqa: E402,F401
from graders.chapters.ch01 import frames  # noqa: E402,F401
from graders.chapters.ch01 import convex_conjugate  # noqa: E402,F401
from graders.chapters.ch01 import prox_duality  # noqa: E402,F401
from graders.chapters.ch01 import sym_conjugates  # noqa: E402,F401
from graders.chapters.ch01 import sym_matrix_gradients  # noqa: E402,F401
