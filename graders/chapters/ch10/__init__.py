"""Chapter 10 — Geometry of deep neural networks."""
from graders.authoring import Chapter

chapter = Chapter("ch10", title="Geometry of deep neural networks", preload=("numpy",),
                  forbidden=("torch", "scipy", "sympy"),
                  exercises=("frame_shrinkage", "relu_partition", "expressivity"))
