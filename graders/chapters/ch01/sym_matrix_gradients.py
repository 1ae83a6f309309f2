"""ch01.sym_matrix_gradients — the gradients of Lemma 1.7 in denominator layout, as matrix-symbol
formulas with fixed sizes (non-square where possible, so that a transposed answer has the wrong
shape)."""
from __future__ import annotations

from graders.authoring import Exercise, row
from graders.authoring.checks.symbolic import Var, check_formula

exercise = Exercise(module="ch01.derivations", title="Matrix gradients by hand (Lemma 1.7)",
                    functions=("grad_quadratic_form", "grad_trace_AXB", "grad_logdet", "grad_least_squares",
                               "quad_minimizer"))

# Matrices are sampled with uniform entries in [−3, 3]: B is then non-symmetric and X non-symmetric
# (so that 2Bx and X⁻¹ are told apart from (B + Bᵀ)x and X⁻ᵀ); S is symmetric positive definite.
_B = Var("B", shape=(4, 4))
_A = Var("A", shape=(4, 3))


@exercise.table(points=2, rows=[
    row("gradient_of_quadratic_form",
        "∂(xᵀBx)/∂x for x (4×1) and a non-symmetric B (4×4), as a 4×1 formula in x and B.",
        func="grad_quadratic_form", variables=[Var("x", shape=(4, 1)), _B], what="∂(xᵀBx)/∂x"),
    row("gradient_of_trace", "∂tr(AXB)/∂X for A (4×3), X (3×4), B (4×4), as a 3×4 formula in A and B.",
        func="grad_trace_AXB", variables=[_A, _B], what="∂tr(AXB)/∂X"),
    row("gradient_of_logdet", "∂log|det X|/∂X for a nonsingular, non-symmetric X (3×3).",
        func="grad_logdet", variables=[Var("X", shape=(3, 3))], what="∂log|det X|/∂X"),
    row("gradient_of_least_squares", "∂(½‖Aw − b‖²)/∂w for A (4×3), w (3×1), b (4×1), as a 3×1 formula.", points=1,
        func="grad_least_squares", variables=[_A, Var("w", shape=(3, 1)), Var("b", shape=(4, 1))],
        what="∂(½‖Aw − b‖²)/∂w"),
    row("minimizer_of_quadratic", "argmin_x ½xᵀSx − cᵀx for a symmetric positive definite S (3×3) and c (3×1).",
        points=1, func="quad_minimizer", variables=[Var("S", shape=(3, 3), spd=True), Var("c", shape=(3, 1))],
        what="the minimizer of ½xᵀSx − cᵀx"),
])
def gradient_formula(ctx, func, variables, what):
    check_formula(ctx, func, variables, what=what)
