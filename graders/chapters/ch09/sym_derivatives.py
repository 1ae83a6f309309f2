"""ch09.sym_derivatives — the softmax Jacobian diag(a) − aaᵀ, the Jacobian of layer normalization
and the variance argument for the 1/√d scaling of attention scores, as formulas."""
from __future__ import annotations

from graders.authoring import Exercise, row
from graders.authoring.checks.symbolic import Var, check_formula

exercise = Exercise(module="ch09.derivations", title="Softmax, layer-norm and attention-score derivations (symbolic)",
                    functions=("softmax_jacobian", "layer_norm_grad_diag", "layer_norm_grad_offdiag",
                               "score_variance", "score_scale"))

#: a1, a2 > 0 with a3 = 1 − a1 − a2 in (0.1, 0.9): three softmax weights on the simplex.
SOFTMAX_VARS = (Var("a1", domain=(0.05, 0.45), positive=True), Var("a2", domain=(0.05, 0.45), positive=True))
#: n ≥ 2, σ > 0 and two normalized entries (the formula holds for every value, not only |y| ≤ √n).
NORM_VARS = (Var("n", domain=(2.0, 64.0), positive=True), Var("sigma", domain=(0.2, 5.0), positive=True),
             Var("y_i", domain=(-2.5, 2.5)), Var("y_j", domain=(-2.5, 2.5)))
SCORE_VARS = (Var("d", domain=(2.0, 512.0), positive=True), Var("s_q", domain=(0.2, 3.0), positive=True),
              Var("s_k", domain=(0.2, 3.0), positive=True))
SCALE_VARS = (Var("d", domain=(2.0, 512.0), positive=True),)


@exercise.table(points=2, rows=[
    row("softmax_jacobian_formula", "softmax_jacobian() is diag(a) − a aᵀ, a 3×3 matrix in a1, a2 and "
        "a3 = 1 − a1 − a2: entry (k, l) is a_k(δ_kl − a_l).", func="softmax_jacobian", variables=SOFTMAX_VARS),
    row("layer_norm_diag_formula", "layer_norm_grad_diag() is ∂y_i/∂x_i = (1 − 1/n − y_i²/n)/σ (ε = 0, biased σ: "
        "∂μ/∂x_i = 1/n and ∂σ/∂x_i = y_i/n).", func="layer_norm_grad_diag", variables=NORM_VARS),
    row("layer_norm_offdiag_formula", "layer_norm_grad_offdiag() is ∂y_i/∂x_j = −(1 + y_i y_j)/(nσ) for j ≠ i.",
        func="layer_norm_grad_offdiag", variables=NORM_VARS),
    row("score_variance_formula", "score_variance() is Var(qᵀk) = d s_q² s_k² for independent zero-mean "
        "entries.", func="score_variance", variables=SCORE_VARS, points=1),
    row("score_scale_formula", "score_scale() is 1/√d: the factor that gives qᵀk unit variance for "
        "unit-variance entries.", func="score_scale", variables=SCALE_VARS, points=1),
])
def formula(ctx, func, variables):
    check_formula(ctx, func, variables)
