"""ch01.sym_conjugates — closed-form convex conjugates of Table 1.3, as formulas in u."""
from __future__ import annotations

from graders.authoring import Exercise, row
from graders.authoring.checks.symbolic import Var, check_formula

exercise = Exercise(module="ch01.derivations", title="Convex conjugates by hand (Table 1.3)",
                    functions=("conj_exp", "conj_xlogx", "conj_neglog", "conj_inv", "conj_softplus", "conj_sqrt1px2",
                               "conj_abs_cubed", "conj_quad"))


# Each row: the student's function, the range of u (a part of dom f*) its formula is sampled on, and f in words.
@exercise.table(points=1, rows=[
    row("conjugate_of_exp", "f(x) = eˣ: f*(u) for u > 0 (sampled in [0.05, 10]).",
        func="conj_exp", u=(0.05, 10.0), what="exp(x)"),
    row("conjugate_of_xlogx", "f(x) = x log x on x ≥ 0: f*(u) for every real u (sampled in [−5, 5]).",
        func="conj_xlogx", u=(-5.0, 5.0), what="x log x"),
    row("conjugate_of_neglog", "f(x) = −log x on x > 0: f*(u) for u < 0 (sampled in [−10, −0.05]).",
        func="conj_neglog", u=(-10.0, -0.05), what="−log x"),
    row("conjugate_of_inv", "f(x) = 1/x on x > 0: f*(u) for u < 0 (sampled in [−10, −0.01]).",
        func="conj_inv", u=(-10.0, -0.01), what="1/x"),
    row("conjugate_of_softplus", "f(x) = log(1 + eˣ): f*(u) for 0 < u < 1 (sampled in [0.01, 0.99]).",
        func="conj_softplus", u=(0.01, 0.99), what="log(1 + exp(x))"),
    row("conjugate_of_sqrt1px2", "f(x) = √(1 + x²): f*(u) for |u| < 1 (sampled in [−0.99, 0.99]).",
        func="conj_sqrt1px2", u=(-0.99, 0.99), what="sqrt(1 + x²)"),
    row("conjugate_of_abs_cubed", "f(x) = |x|³/3: f*(u) for every real u (sampled in [−4, 4]).",
        func="conj_abs_cubed", u=(-4.0, 4.0), what="|x|³/3"),
    row("conjugate_of_quadratic", "f(x) = ½ a x² with a > 0: f*(u) for real u and a (sampled in [−5, 5] × [0.2, 5]).",
        func="conj_quad", u=(-5.0, 5.0), what="a x²/2", a=(0.2, 5.0)),
])
def conjugate_formula(ctx, func, u, what, a=None):
    variables = [Var("u", domain=u)] + ([Var("a", domain=a, positive=True)] if a else [])
    check_formula(ctx, func, variables, what=f"the conjugate of {what}")
