"""ch03.sym_ridge — the OLS and ridge estimators as matrix formulas (eqs 3.7, 3.14, 3.16), with
X of the fixed non-square size (p, N) = (3, 5) in the book's column layout."""
from __future__ import annotations

from graders.authoring import Exercise, row
from graders.authoring.checks.symbolic import Var, check_formula

exercise = Exercise(module="ch03.derivations", functions=("ols_estimator", "ridge_primal", "ridge_dual"),
                    title="Ridge and OLS estimators in closed form (symbolic)")

P, N = 3, 5
#: The names a formula may use, and where they are sampled: X (p, N), y (N, 1), λ > 0.
VARS = (Var("X", shape=(P, N)), Var("y", shape=(N, 1)), Var("lam", domain=(0.05, 5.0), positive=True))


@exercise.table(points=2, rows=[
    row("ols_formula", "ols_estimator() is (XXᵀ)⁻¹Xy (eq 3.7), a (p, 1) = (3, 1) matrix expression.",
        func="ols_estimator", points=1),
    row("ridge_primal_formula", "ridge_primal() is (XXᵀ + λI_p)⁻¹Xy (eq 3.14).", func="ridge_primal"),
    row("ridge_dual_formula", "ridge_dual() is X(XᵀX + λI_N)⁻¹y (eq 3.16).", func="ridge_dual"),
])
def formula(ctx, func):
    check_formula(ctx, func, VARS, dims={"p": P, "N": N})
