"""Chapter 2 — linear and kernel classifiers: the grader spec.

Hard-margin, soft-margin and kernel SVMs solved through their duals (scipy is allowed, the
grader's oracle scikit-learn is not), kernels and explicit feature maps, and one symbolic-answer
exercise (the dual of a three-point SVM by hand). Row convention: samples are rows. SVM dual
variables are not unique in degenerate cases (book ex 2.5), so they are graded through
invariants: KKT conditions, duality gaps, w, b and decision values.
"""
from graders.authoring import Chapter

# The exercises in CURRICULUM.md's order, the symbolic-answer one last; every one forbids the
# libraries the graders use as oracles.
chapter = Chapter("ch02", title="Linear and kernel classifiers", preload=("numpy", "scipy", "sympy"),
                  forbidden=("sklearn", "ot", "networkx"),
                  exercises=("hard_margin_svm", "soft_margin_svm", "kernels_features", "kernel_svm", "sym_svm_dual"))
