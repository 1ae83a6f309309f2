"""ch03.sym_ridge — the OLS and ridge estimators as matrix formulas (eqs 3.7, 3.14, 3.16), with
X of the fixed non-square size (p, N) = (3, 5) in the book's column layout."""
from __future__ import annotations

from graders.authoring.checks.symbolic import Var, check_formula
from graders.chapters.ch03 import FORBIDDEN, chapter

exercise = chapter.exercise(
    "ch03.sym_ridge",
    module="ch03.derivations",
    functions=("ols_estimator", "ridge_primal", "ridge_dual"),
    reference="geodl_ref.ch03.derivations",
    forbidden=FORBIDDEN,
    title="Ridge and OLS estimators in closed form (symbolic)",
)

P, N = 3, 5
#: The names a formula may use, and where they are sampled: X (p, N), y (N, 1), λ > 0.
VARS = (Var("X", shape=(P, N)), Var("y", shape=(N, 1)), Var("lam", domain=(0.05, 5.0), positive=True))
DIMS = {"p": P, "N": N}


@exercise.check(points=1, visibility="public")
def ols_formula(ctx):
    """ols_estimator() is (XXᵀ)⁻¹Xy (eq 3.7), a (p, 1) = (3, 1) matrix expression."""
    check_formula(ctx, "ols_estimator", VARS, dims=DIMS)


@exercise.check(points=2, visibility="public")
def ridge_primal_formula(ctx):
    """ridge_primal() is (XXᵀ + λI_p)⁻¹Xy (eq 3.14)."""
    check_formula(ctx, "ridge_primal", VARS, dims=DIMS)


@exercise.check(points=2, visibility="public")
def ridge_dual_formula(ctx):
    """ridge_dual() is X(XᵀX + λI_N)⁻¹y (eq 3.16)."""
    check_formula(ctx, "ridge_dual", VARS, dims=DIMS)
