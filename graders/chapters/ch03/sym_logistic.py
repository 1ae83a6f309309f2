"""ch03.sym_logistic — the sigmoid's derivative and the gradient of the one-sample logistic loss
ℓ = −t log q − (1 − t) log(1 − q), q = Sig(β0 + β1 x) (eq 3.10), as formulas."""
from __future__ import annotations

from graders.authoring import Exercise, row
from graders.authoring.checks.symbolic import Var, check_formula

exercise = Exercise(module="ch03.derivations", title="Gradient of the logistic loss (symbolic)",
                    functions=("sigmoid_derivative", "logistic_grad_beta0", "logistic_grad_beta1"))

Z_VARS = (Var("z", domain=(-4.0, 4.0)),)
#: β0, β1 and x real, t a target in [0, 1].
LOSS_VARS = (Var("beta0", domain=(-2.0, 2.0)), Var("beta1", domain=(-2.0, 2.0)), Var("x", domain=(-3.0, 3.0)),
             Var("t", domain=(0.0, 1.0)))


@exercise.table(points=2, rows=[
    row("sigmoid_derivative_formula", "sigmoid_derivative() is Sig′(z) = Sig(z)(1 − Sig(z)), written in z.",
        func="sigmoid_derivative", variables=Z_VARS, points=1),
    row("grad_beta0_formula", "logistic_grad_beta0() is ∂ℓ/∂β0 = Sig(β0 + β1x) − t.",
        func="logistic_grad_beta0", variables=LOSS_VARS),
    row("grad_beta1_formula", "logistic_grad_beta1() is ∂ℓ/∂β1 = (Sig(β0 + β1x) − t)x.",
        func="logistic_grad_beta1", variables=LOSS_VARS),
])
def formula(ctx, func, variables):
    check_formula(ctx, func, variables)
