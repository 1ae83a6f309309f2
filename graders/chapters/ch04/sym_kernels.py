"""ch04.sym_kernels — the normalized polynomial kernel (ex 4.6) and squared feature-space
distances (ex 4.7, squared: erratum 5) for kernels on scalars, as formulas."""
from __future__ import annotations

from graders.authoring import Exercise, row
from graders.authoring.checks.symbolic import Var, check_formula

exercise = Exercise(module="ch04.derivations", functions=("normalized_poly_kernel", "rbf_dist2", "poly_dist2"),
                    title="Normalized kernels and feature-space distances (symbolic)")

_X, _Z = Var("x", domain=(-3.0, 3.0)), Var("z", domain=(-3.0, 3.0))
POLY_VARS = (_X, _Z, Var("c", domain=(0.1, 3.0), positive=True))
RBF_VARS = (_X, _Z, Var("sigma", domain=(0.3, 3.0), positive=True))


@exercise.table(points=1, rows=[
    row("normalized_poly_kernel_formula", "normalized_poly_kernel() is k(x, z)/√(k(x, x)k(z, z)) for k = (xz + c)², "
        "i.e. (xz + c)²/((x² + c)(z² + c)) (ex 4.6).", points=2, func="normalized_poly_kernel", variables=POLY_VARS),
    row("rbf_dist2_formula", "rbf_dist2() is k(x, x) + k(z, z) − 2k(x, z) = 2 − 2exp(−(x − z)²/(2σ²)) (σ-form RBF).",
        func="rbf_dist2", variables=RBF_VARS),
    row("poly_dist2_formula", "poly_dist2() is k(x, x) + k(z, z) − 2k(x, z) for k = (xz + c)², the squared distance "
        "(x − z)²((x + z)² + 2c).", func="poly_dist2", variables=POLY_VARS),
])
def formula(ctx, func, variables):
    check_formula(ctx, func, variables)
