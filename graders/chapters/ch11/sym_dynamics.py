"""ch11.sym_dynamics — chapter 11's derivations as formulas: f″ of the book's PL example
f(x) = x² + 3 sin²x (L = max|f″| = 8), the Lyapunov derivative of ex 11.3, and dV/dt = −eᵀXXᵀe
for V = ½‖e‖² under the linear model's gradient flow (11.21), with X of the fixed non-square size
(N, p) = (5, 3) in the row layout."""
from __future__ import annotations

from graders.authoring import Exercise, row
from graders.authoring.checks.symbolic import Var, check_formula

exercise = Exercise(module="ch11.derivations",
                    functions=("pl_second_derivative", "lyapunov_derivative", "ntk_lyapunov_rate"),
                    forbidden=("torch",), title="Smoothness, Lyapunov derivatives and the NTK flow (symbolic)")

N, P = 5, 3
X_VARS = (Var("x", domain=(-4.0, 4.0)),)
#: the states x, y and the parameter a of ex 11.3
LYAPUNOV_VARS = (Var("x", domain=(-2.0, 2.0)), Var("y", domain=(-2.0, 2.0)), Var("a", domain=(-2.0, 2.0)))
#: X (N, p) = (5, 3), e (N, 1)
NTK_VARS = (Var("X", shape=(N, P)), Var("e", shape=(N, 1)))


@exercise.table(points=2, rows=[
    row("pl_second_derivative_formula", "pl_second_derivative() is f″(x) = 2 + 6 cos 2x for f(x) = x² + 3 sin²x, "
        "written in x (its range [−4, 8] gives L = 8 and shows f is not convex).",
        func="pl_second_derivative", variables=X_VARS),
    row("lyapunov_derivative_formula", "lyapunov_derivative() is V̇ = 2x(ay² − x) + 4y(−y − ax²) for "
        "V = x² + 2y² along ẋ = ay² − x, ẏ = −y − ax² (ex 11.3).",
        func="lyapunov_derivative", variables=LYAPUNOV_VARS),
    row("ntk_lyapunov_rate_formula", "ntk_lyapunov_rate() is dV/dt = −eᵀXXᵀe (1×1) for V = ½eᵀe along "
        "ė = −Ke, K = XXᵀ (11.21), with X (N, p) = (5, 3) and e (N, 1).",
        func="ntk_lyapunov_rate", variables=NTK_VARS),
])
def formula(ctx, func, variables):
    check_formula(ctx, func, variables, dims={"N": N, "p": P})
