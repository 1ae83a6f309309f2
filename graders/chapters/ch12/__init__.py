"""Chapter 12 — Generalization."""
from graders.authoring import Chapter

chapter = Chapter("ch12", title="Generalization", preload=("numpy",),
                  forbidden=("sklearn", "ot", "networkx"),
                  exercises=("bounds",))
