"""Chapter 6 — artificial neural networks and backpropagation: the grader spec.

Four exercises, all numpy (torch is forbidden in the submission: it would hand over the very
gradients the exercises ask for). Layouts follow the book's column convention (eq 6.7).
"""
from graders.authoring import Chapter

chapter = Chapter("ch06", title="Artificial neural networks and backpropagation", preload=("numpy",),
                  forbidden=("torch",), exercises=("mlp_backprop", "optimizers", "conv_as_matrix", "variational_bp"))
