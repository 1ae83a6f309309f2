"""ch01.sym_matrix_gradients — the gradients of Lemma 1.7 in denominator layout, as matrix-symbol
formulas with fixed sizes (non-square where possible, so that a transposed answer has the wrong
shape)."""
from __future__ import annotations

from graders.authoring.checks.symbolic import Var, check_formula
from graders.chapters.ch01 import ORACLES, chapter

exercise = chapter.exercise(
    "ch01.sym_matrix_gradients",
    module="ch01.derivations",
    functions=("grad_quadratic_form", "grad_trace_AXB", "grad_logdet", "grad_least_squares", "quad_minimizer"),
    reference="geodl_ref.ch01.derivations",
    forbidden=ORACLES,
    title="Matrix gradients by hand (Lemma 1.7)",
)

# Matrices are sampled with uniform entries in [−3, 3]: B is then non-symmetric and X non-symmetric
# (so that 2Bx and X⁻¹ are told apart from (B + Bᵀ)x and X⁻ᵀ); S is symmetric positive definite.
_B = Var("B", shape=(4, 4))
_A = Var("A", shape=(4, 3))


@exercise.check(points=2, visibility="public")
def gradient_of_quadratic_form(ctx):
    """∂(xᵀBx)/∂x for x (4×1) and a non-symmetric B (4×4), as a 4×1 formula in x and B."""
    check_formula(ctx, "grad_quadratic_form", [Var("x", shape=(4, 1)), _B], what="∂(xᵀBx)/∂x")


@exercise.check(points=2, visibility="public")
def gradient_of_trace(ctx):
    """∂tr(AXB)/∂X for A (4×3), X (3×4), B (4×4), as a 3×4 formula in A and B."""
    check_formula(ctx, "grad_trace_AXB", [_A, _B], what="∂tr(AXB)/∂X")


@exercise.check(points=2, visibility="public")
def gradient_of_logdet(ctx):
    """∂log|det X|/∂X for a nonsingular, non-symmetric X (3×3)."""
    check_formula(ctx, "grad_logdet", [Var("X", shape=(3, 3))], what="∂log|det X|/∂X")


@exercise.check(points=1, visibility="public")
def gradient_of_least_squares(ctx):
    """∂(½‖Aw − b‖²)/∂w for A (4×3), w (3×1), b (4×1), as a 3×1 formula."""
    check_formula(ctx, "grad_least_squares", [_A, Var("w", shape=(3, 1)), Var("b", shape=(4, 1))],
                  what="∂(½‖Aw − b‖²)/∂w")


@exercise.check(points=1, visibility="public")
def minimizer_of_quadratic(ctx):
    """argmin_x ½xᵀSx − cᵀx for a symmetric positive definite S (3×3) and c (3×1)."""
    check_formula(ctx, "quad_minimizer", [Var("S", shape=(3, 3), spd=True), Var("c", shape=(3, 1))],
                  what="the minimizer of ½xᵀSx − cᵀx")
