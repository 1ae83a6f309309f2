"""ch02.sym_svm_dual — the hard-margin SVM of a three-point data set solved by hand: the dual
objective (2.16), its reduction by Σα_iy_i = 0, w = Σα_iy_ix_i (2.15), the decision function and
the margin, as formulas."""
from __future__ import annotations

from graders.authoring import Exercise, row
from graders.authoring.checks.symbolic import Var, check_formula

exercise = Exercise(module="ch02.derivations", title="The dual of a three-point SVM by hand",
                    functions=("dual_objective", "reduced_dual_objective", "primal_weight", "decision_function",
                               "margin"))

_ALPHAS = [Var(f"a{i}", domain=(0.0, 2.0), positive=True) for i in (1, 2, 3)]
_POINTS = [Var(f"x{i}", shape=(2, 1)) for i in (1, 2, 3)]


@exercise.table(points=1, rows=[
    row("dual_objective_of_the_data_set",
        "The dual objective Σα_i − ½ΣΣα_iα_jy_iy_jx_iᵀx_j of the three points, in a1, a2, a3.",
        points=2, func="dual_objective", variables=_ALPHAS, what="the dual objective (2.16)"),
    row("reduced_dual_objective", "The dual objective with α_1 eliminated by Σα_iy_i = 0, in a2, a3.",
        func="reduced_dual_objective", variables=_ALPHAS[1:], what="the dual objective on Σ α_i y_i = 0"),
    row("primal_weight_formula",
        "w = Σα_iy_ix_i as a 2×1 formula in a1, a2, a3 and the point symbols x1, x2, x3 (2×1).",
        func="primal_weight", variables=_ALPHAS + _POINTS, what="w = Σ α_i y_i x_i (2.15)"),
    row("optimal_decision_function", "The optimal f(z) = wᵀz + b of the data set, in z1, z2.",
        func="decision_function", variables=[Var("z1"), Var("z2")], what="f(z) = wᵀz + b at the optimum"),
    row("optimal_margin", "The margin 2/‖w‖ of the optimal classifier (a number).",
        func="margin", variables=[], what="the margin 2/‖w‖"),
])
def formula(ctx, func, variables, what):
    """The student's formula equals the reference's on the variables' domains."""
    check_formula(ctx, func, variables, what=what)
