"""Chapter 9 — Normalization and attention."""
from graders.authoring import Chapter

chapter = Chapter("ch09", title="Normalization and attention", preload=("numpy", "torch", "sympy"),
                  forbidden=(),
                  exercises=("normalization", "style_norms", "attention", "transformer_inputs", "se_gat",
                             "sym_derivatives"))
