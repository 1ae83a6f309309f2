"""Chapter 2 — linear and kernel classifiers: the grader spec.

Hard-margin, soft-margin and kernel SVMs solved through their duals (scipy is allowed, the
grader's oracle scikit-learn is not), kernels and explicit feature maps, and one symbolic-answer
exercise (the dual of a three-point SVM by hand). Row convention: samples are rows. SVM dual
variables are not unique in degenerate cases (book ex 2.5), so they are graded through
invariants: KKT conditions, duality gaps, w, b and decision values.
"""
from graders.grading.spec import Chapter

chapter = Chapter("ch02", title="Linear and kernel classifiers", preload=("numpy", "scipy", "sympy"))

#: Libraries the graders use as oracles: never allowed in a submission of this chapter.
ORACLES = ("sklearn", "ot", "networkx")

# Registration order is the order of the exercises in tables and feedback (CURRICULUM.md's),
# the symbolic-answer exercise last.
from graders.chapters.ch02 import hard_margin_svm  # noqa: E402,F401,I001
from graders.chapters.ch02 import soft_margin_svm  # noqa: E402,F401
from graders.chapters.ch02 import kernels_features  # noqa: E402,F401
from graders.chapters.ch02 import kernel_svm  # noqa: E402,F401
from graders.chapters.ch02 import sym_svm_dual  # noqa: E402,F401
