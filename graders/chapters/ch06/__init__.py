"""Chapter 6 — artificial neural networks and backpropagation: the grader spec.

Four exercises, all numpy (torch is forbidden in the submission: it would hand over the very
gradients the exercises ask for). Layouts follow the book's column convention (eq 6.7).
"""
from graders.grading.spec import Chapter

chapter = Chapter("ch06", title="Artificial neural networks and backpropagation", preload=("numpy",))

# Registration order is the order of the exercises in tables and feedback (CURRICULUM.md's).
from graders.chapters.ch06 import mlp_backprop  # noqa: E402,F401,I001
from graders.chapters.ch06 import optimizers  # noqa: E402,F401
from graders.chapters.ch06 import conv_as_matrix  # noqa: E402,F401
from graders.chapters.ch06 import variational_bp  # noqa: E402,F401
