"""ch02.sym_svm_dual — the hard-margin SVM of a three-point data set solved by hand: the dual
objective (2.16), its reduction by Σα_iy_i = 0, w = Σα_iy_ix_i (2.15), the decision function and
the margin, as formulas."""
from __future__ import annotations

from graders.authoring.checks.symbolic import Var, check_formula
from graders.chapters.ch02 import ORACLES, chapter

exercise = chapter.exercise(
    "ch02.sym_svm_dual",
    module="ch02.derivations",
    functions=("dual_objective", "reduced_dual_objective", "primal_weight", "decision_function", "margin"),
    reference="geodl_ref.ch02.derivations",
    forbidden=ORACLES,
    title="The dual of a three-point SVM by hand",
)

_ALPHAS = [Var(f"a{i}", domain=(0.0, 2.0), positive=True) for i in (1, 2, 3)]


@exercise.check(points=2, visibility="public")
def dual_objective_of_the_data_set(ctx):
    """The dual objective Σα_i − ½ΣΣα_iα_jy_iy_jx_iᵀx_j of the three points, in a1, a2, a3."""
    check_formula(ctx, "dual_objective", _ALPHAS, what="the dual objective (2.16)")


@exercise.check(points=1, visibility="public")
def reduced_dual_objective(ctx):
    """The dual objective with α_1 eliminated by Σα_iy_i = 0, in a2, a3."""
    check_formula(ctx, "reduced_dual_objective", _ALPHAS[1:], what="the dual objective on Σ α_i y_i = 0")


@exercise.check(points=1, visibility="public")
def primal_weight_formula(ctx):
    """w = Σα_iy_ix_i as a 2×1 formula in a1, a2, a3 and the point symbols x1, x2, x3 (2×1)."""
    points = [Var(f"x{i}", shape=(2, 1)) for i in (1, 2, 3)]
    check_formula(ctx, "primal_weight", _ALPHAS + points, what="w = Σ α_i y_i x_i (2.15)")


@exercise.check(points=1, visibility="public")
def optimal_decision_function(ctx):
    """The optimal f(z) = wᵀz + b of the data set, in z1, z2."""
    check_formula(ctx, "decision_function", [Var("z1"), Var("z2")], what="f(z) = wᵀz + b at the optimum")


@exercise.check(points=1, visibility="public")
def optimal_margin(ctx):
    """The margin 2/‖w‖ of the optimal classifier (a number)."""
    check_formula(ctx, "margin", [], what="the margin 2/‖w‖")
