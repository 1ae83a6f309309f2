"""Chapter 9 — Normalization and attention."""
from graders.authoring import Chapter

chapter = Chapter("ch09", title="Normalization and attention", preload=("numpy",),
                  forbidden=(),
                  exercises=("style_norms",))
