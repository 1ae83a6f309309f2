"""ch13.sym_generative — three closed forms of chapter 13 as formulas: the VAE's Gaussian KL term
½(σ² + μ² − log σ² − 1) (eqs 13.64–13.65), the optimal discriminator p/(p + q) (§13.5.1) and the
1-D Gaussian W2² = (m1 − m2)² + (σ1 − σ2)² (eq 13.22, a square: errata 13)."""
from __future__ import annotations

from graders.authoring import Exercise, row
from graders.authoring.checks.symbolic import Var, check_formula

exercise = Exercise(module="ch13.derivations", title="Generative-model closed forms (symbolic)",
                    functions=("gaussian_kl_term", "optimal_discriminator", "w2_sq_gaussian_1d"))

#: μ real, σ > 0 (a standard deviation).
KL_VARS = (Var("mu", domain=(-3.0, 3.0)), Var("sigma", domain=(0.1, 4.0), positive=True))
#: two positive densities at one point.
D_VARS = (Var("p", domain=(0.01, 5.0), positive=True), Var("q", domain=(0.01, 5.0), positive=True))
#: two means and two standard deviations.
W_VARS = (Var("m1", domain=(-3.0, 3.0)), Var("m2", domain=(-3.0, 3.0)), Var("s1", domain=(0.1, 4.0), positive=True),
          Var("s2", domain=(0.1, 4.0), positive=True))


@exercise.table(points=2, rows=[
    row("gaussian_kl_formula", "gaussian_kl_term() is KL(N(μ, σ²) ‖ N(0, 1)) = ½(σ² + μ² − log σ² − 1) "
        "(eqs 13.64–13.65), written in mu and sigma (σ the standard deviation).",
        func="gaussian_kl_term", variables=KL_VARS),
    row("optimal_discriminator_formula", "optimal_discriminator() is D* = p/(p + q), the maximizer of "
        "p log D + q log(1 − D) (§13.5.1).", func="optimal_discriminator", variables=D_VARS, points=1),
    row("w2_gaussian_1d_formula", "w2_sq_gaussian_1d() is W2²(N(m1, σ1²), N(m2, σ2²)) = (m1 − m2)² + "
        "(σ1 − σ2)²: eq 13.22 gives the square, not W2.", func="w2_sq_gaussian_1d", variables=W_VARS),
])
def formula(ctx, func, variables):
    check_formula(ctx, func, variables)
