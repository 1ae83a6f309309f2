"""Chapter 10 — Geometry of deep neural networks.

Five numpy exercises and one symbolic-answer exercise (``ch10/derivations.py``, sympy). torch and
scipy are forbidden in every submission (scipy's linprog is the grader's oracle for the regions of
a ReLU net); sympy only in the numpy exercises.
"""
from graders.authoring import Chapter

chapter = Chapter("ch10", title="Geometry of deep neural networks", preload=("numpy",),
                  forbidden=("torch", "scipy"),
                  exercises=("frame_shrinkage", "conv_framelets", "relu_partition", "expressivity",
                             "sym_geometry"))
