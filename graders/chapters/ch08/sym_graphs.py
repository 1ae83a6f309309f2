"""ch08.sym_graphs — triangles as tr(A³)/6 (§8.2), the GIN pre-activation ((1 + ε)I + A)XW of ex 8.5
with non-square X and W and a non-symmetric A (so that Aᵀ and WX are told apart), and the
derivatives of the negative-sampling loss with respect to a score (§8.3), as formulas."""
from __future__ import annotations

from graders.authoring import Exercise, row
from graders.authoring.checks.symbolic import Var, check_formula

exercise = Exercise(module="ch08.derivations", title="Graph counts and GNN derivatives (symbolic)",
                    functions=("triangle_count", "gin_preactivation", "sgns_grad_positive", "sgns_grad_negative"))

N_NODES, F_IN, F_OUT = 5, 3, 4
SCORE_VARS = (Var("s", domain=(-4.0, 4.0)),)


@exercise.table(points=2, rows=[
    row("triangle_count_formula", "triangle_count() is tr(A³)/6 for a symmetric A (5×5).",
        func="triangle_count", variables=(Var("A", shape=(N_NODES, N_NODES), spd=True),)),
    row("gin_preactivation_formula", "gin_preactivation() is ((1 + ε)I + A)XW for A (5×5, not symmetric), "
        "X (5×3) and W (3×4).", func="gin_preactivation",
        variables=(Var("A", shape=(N_NODES, N_NODES)), Var("X", shape=(N_NODES, F_IN)),
                   Var("W", shape=(F_IN, F_OUT)), Var("eps", domain=(-0.5, 1.5)))),
    row("sgns_grad_positive_formula", "sgns_grad_positive() is d/ds[−log σ(s)] = σ(s) − 1.",
        func="sgns_grad_positive", variables=SCORE_VARS, points=1),
    row("sgns_grad_negative_formula", "sgns_grad_negative() is d/ds[−log σ(−s)] = σ(s).",
        func="sgns_grad_negative", variables=SCORE_VARS, points=1),
])
def formula(ctx, func, variables):
    check_formula(ctx, func, variables, dims={"n": N_NODES, "f": F_IN, "g": F_OUT})
