"""ch03.sym_logistic — the sigmoid's derivative and the gradient of the one-sample logistic loss
ℓ = −t log q − (1 − t) log(1 − q), q = Sig(β0 + β1 x) (eq 3.10), as formulas."""
from __future__ import annotations

from graders.authoring.checks.symbolic import Var, check_formula
from graders.chapters.ch03 import FORBIDDEN, chapter

exercise = chapter.exercise(
    "ch03.sym_logistic",
    module="ch03.derivations",
    functions=("sigmoid_derivative", "logistic_grad_beta0", "logistic_grad_beta1"),
    reference="geodl_ref.ch03.derivations",
    forbidden=FORBIDDEN,
    title="Gradient of the logistic loss (symbolic)",
)

Z_VARS = (Var("z", domain=(-4.0, 4.0)),)
#: β0, β1 and x real, t a target in [0, 1].
LOSS_VARS = (Var("beta0", domain=(-2.0, 2.0)), Var("beta1", domain=(-2.0, 2.0)), Var("x", domain=(-3.0, 3.0)),
             Var("t", domain=(0.0, 1.0)))


@exercise.check(points=1, visibility="public")
def sigmoid_derivative_formula(ctx):
    """sigmoid_derivative() is Sig′(z) = Sig(z)(1 − Sig(z)), written in z."""
    check_formula(ctx, "sigmoid_derivative", Z_VARS)


@exercise.check(points=2, visibility="public")
def grad_beta0_formula(ctx):
    """logistic_grad_beta0() is ∂ℓ/∂β0 = Sig(β0 + β1x) − t."""
    check_formula(ctx, "logistic_grad_beta0", LOSS_VARS)


@exercise.check(points=2, visibility="public")
def grad_beta1_formula(ctx):
    """logistic_grad_beta1() is ∂ℓ/∂β1 = (Sig(β0 + β1x) − t)x."""
    check_formula(ctx, "logistic_grad_beta1", LOSS_VARS)
