"""ch01.sym_conjugates — closed-form convex conjugates of Table 1.3, as formulas in u."""
from __future__ import annotations

from graders.authoring.checks.symbolic import Var, check_formula
from graders.chapters.ch01 import ORACLES, chapter

exercise = chapter.exercise(
    "ch01.sym_conjugates",
    module="ch01.derivations",
    functions=("conj_exp", "conj_xlogx", "conj_neglog", "conj_inv", "conj_softplus", "conj_sqrt1px2",
               "conj_abs_cubed", "conj_quad"),
    reference="geodl_ref.ch01.derivations",
    forbidden=ORACLES,
    title="Convex conjugates by hand (Table 1.3)",
)


def _u(lo: float, hi: float) -> list[Var]:
    """The dual variable u, sampled in [lo, hi] (the part of dom f* the answer is graded on)."""
    return [Var("u", domain=(lo, hi))]


@exercise.check(points=1, visibility="public")
def conjugate_of_exp(ctx):
    """f(x) = eˣ: f*(u) for u > 0 (sampled in [0.05, 10])."""
    check_formula(ctx, "conj_exp", _u(0.05, 10.0), what="the conjugate of exp(x)")


@exercise.check(points=1, visibility="public")
def conjugate_of_xlogx(ctx):
    """f(x) = x log x on x ≥ 0: f*(u) for every real u (sampled in [−5, 5])."""
    check_formula(ctx, "conj_xlogx", _u(-5.0, 5.0), what="the conjugate of x log x")


@exercise.check(points=1, visibility="public")
def conjugate_of_neglog(ctx):
    """f(x) = −log x on x > 0: f*(u) for u < 0 (sampled in [−10, −0.05])."""
    check_formula(ctx, "conj_neglog", _u(-10.0, -0.05), what="the conjugate of −log x")


@exercise.check(points=1, visibility="public")
def conjugate_of_inv(ctx):
    """f(x) = 1/x on x > 0: f*(u) for u < 0 (sampled in [−10, −0.01])."""
    check_formula(ctx, "conj_inv", _u(-10.0, -0.01), what="the conjugate of 1/x")


@exercise.check(points=1, visibility="public")
def conjugate_of_softplus(ctx):
    """f(x) = log(1 + eˣ): f*(u) for 0 < u < 1 (sampled in [0.01, 0.99])."""
    check_formula(ctx, "conj_softplus", _u(0.01, 0.99), what="the conjugate of log(1 + exp(x))")


@exercise.check(points=1, visibility="public")
def conjugate_of_sqrt1px2(ctx):
    """f(x) = √(1 + x²): f*(u) for |u| < 1 (sampled in [−0.99, 0.99])."""
    check_formula(ctx, "conj_sqrt1px2", _u(-0.99, 0.99), what="the conjugate of sqrt(1 + x²)")


@exercise.check(points=1, visibility="public")
def conjugate_of_abs_cubed(ctx):
    """f(x) = |x|³/3: f*(u) for every real u (sampled in [−4, 4])."""
    check_formula(ctx, "conj_abs_cubed", _u(-4.0, 4.0), what="the conjugate of |x|³/3")


@exercise.check(points=1, visibility="public")
def conjugate_of_quadratic(ctx):
    """f(x) = ½ a x² with a > 0: f*(u) for real u and a (sampled in [−5, 5] × [0.2, 5])."""
    check_formula(ctx, "conj_quad", [Var("u", domain=(-5.0, 5.0)), Var("a", domain=(0.2, 5.0), positive=True)],
                  what="the conjugate of a x²/2")
