"""ch11.pl_gd — gradient descent under the Polyak–Łojasiewicz condition (11.11, Theorem 11.1) on
the book's non-convex f(x) = x² + 3 sin²x, its empirical PL constant, and Lemma 11.1's convexity
of (L/2)x² − f."""
from __future__ import annotations

import importlib

import numpy as np
from hypothesis import strategies as st

from graders.authoring import Array, Bool, Exercise, Float, arrays, assert_close, expect, oracle, row

exercise = Exercise(module="ch11.pl", functions=("gd", "pl_constant_estimate", "is_convex_on_grid"),
                    forbidden=("torch",), title="Gradient descent under the PL condition")

#: The book's example and its constants: f* = f(0) = 0, L = max|f″| = 8, μ = 1/32 (Karimi et al.).
F_SOURCE = "lambda x: float(np.sum(x ** 2 + 3 * np.sin(x) ** 2))"
GRAD_SOURCE = "lambda x: 2 * x + 3 * np.sin(2 * x)"
L, MU = 8.0, 1.0 / 32.0
STARTS = np.linspace(-10.0, 10.0, 20)                    # 20 starts (0 is not one of them)
ITERS = 100


def _f(x: np.ndarray) -> np.ndarray:
    """f(x) = x² + 3 sin²x, elementwise (the grader's copy of F_SOURCE)."""
    return x**2 + 3 * np.sin(x) ** 2


def _grad(x: np.ndarray) -> np.ndarray:
    """f′(x) = 2x + 3 sin 2x (the grader's copy of GRAD_SOURCE)."""
    return 2 * x + 3 * np.sin(2 * x)


@oracle
def _book_trajectory(x0: float) -> np.ndarray:
    """The reference's gd on the book's f from x0, step 1/L, ITERS steps: (ITERS + 1, 1)."""
    module = importlib.import_module(exercise.reference_name)              # the module itself, never a recording
    return module.gd(_grad, np.array([x0]), 1 / L, ITERS)


#: 1-D functions of the PL-constant checks, f* = 0: (f, f′) as source text for the student's code
PL_FUNCTIONS = {"book": (F_SOURCE, GRAD_SOURCE),
                "quartic": ("lambda x: float(np.sum(x ** 2 + x ** 4))", "lambda x: 2 * x + 4 * x ** 3")}


@oracle
def _pl_constant(key: str, grid: np.ndarray, tiny: float) -> float:
    """The reference's pl_constant_estimate of ``PL_FUNCTIONS[key]`` on ``grid`` (n, 1), f* = 0."""
    module = importlib.import_module(exercise.reference_name)              # the module itself, never a recording
    f, grad = {"book": (lambda x: float(np.sum(_f(x))), _grad),                # the same functions, grader side
               "quartic": (lambda x: float(np.sum(x**2 + x**4)), lambda x: 2 * x + 4 * x**3)}[key]
    return module.pl_constant_estimate(f, grad, grid, 0.0, tiny=tiny)


def _grid() -> np.ndarray:
    """[−10, 10] with spacing 1e-3 as points of shape (20001, 1), holding x* = 0 exactly."""
    grid = np.linspace(-10.0, 10.0, 20001)
    grid[10000] = 0.0
    return grid[:, None]


def _literal(M: np.ndarray) -> str:
    """``M`` as numpy source text for a grader function (float repr round-trips exactly)."""
    return f"np.array({np.asarray(M, dtype=float).tolist()!r})"


def _trajectories(ctx) -> list[np.ndarray]:
    """The student's gd on the book's f from the 20 starts, step 1/L, 100 steps: (101, 1) each."""
    grad = ctx.function(GRAD_SOURCE)
    return ctx.map("gd", [(grad, np.array([s]), 1 / L, ITERS) for s in STARTS],
                   returns=Array((ITERS + 1, 1), label="gd(grad, x0, 1/8, 100)"))


# ---- gradient descent ----------------------------------------------------------------------------

@exercise.check(points=2)
def gd_on_the_book_example(ctx):
    """gd(grad, x0, 1/8, 100) on f(x) = x² + 3 sin²x from 20 starts in [−10, 10] is the
    trajectory x_{k+1} = x_k − ∇f(x_k)/8, with x0 as row 0, shape (101, 1) (relative 1e-10)."""
    grad = ctx.function(GRAD_SOURCE)
    for s, xs in zip(STARTS, _trajectories(ctx)):
        ctx.report_call("gd", grad, np.array([s]), 1 / L, ITERS)
        assert_close(xs, _book_trajectory(float(s)), rtol=1e-10, name=f"gd from x0 = {s:.4g}")


@exercise.check(points=2, given={"case": arrays(M=("d", "d"), b="d", x0="d", dims=(2, 6)),
                                 "iters": st.one_of(st.just(0), st.integers(6, 25)), "frac": st.floats(0.1, 1.9)},
                max_examples=15)
def gd_on_a_quadratic(ctx, case, iters, frac):
    """On f(x) = ½xᵀAx − bᵀx in d ≥ 2 dimensions (A symmetric positive definite), gd with a step
    η < 2/λ_max(A) is x_k = x* + (I − ηA)^k (x0 − x*), x* = A⁻¹b, one row per k (relative 1e-10)."""
    A = case.M @ case.M.T + 0.5 * np.eye(case.d)                                   # (d, d) SPD
    step = frac / float(np.linalg.eigvalsh(A)[-1])
    xstar = np.linalg.solve(A, case.b)
    B = np.eye(case.d) - step * A
    want = np.array([xstar + np.linalg.matrix_power(B, k) @ (case.x0 - xstar) for k in range(iters + 1)])
    grad = ctx.function(f"lambda x: {_literal(A)} @ x - {_literal(case.b)}")
    got = ctx.call("gd", grad, case.x0, step, iters, returns=Array((iters + 1, case.d)))
    assert_close(got, want, rtol=1e-10, atol=1e-12, name=f"gd on a quadratic in d = {case.d}, {iters} steps")


@exercise.check(points=2, depends_on="gd_on_the_book_example")
def pl_rate_of_theorem_11_1(ctx):
    """With step 1/L = 1/8, f(x_k) − f* ≤ (1 − μ/L)^k (f(x0) − f*) with μ = 1/32 for every
    k ≤ 100 and each of the 20 starts (Theorem 11.1); counts once gd_on_the_book_example passes."""
    k = np.arange(ITERS + 1)
    for s, xs in zip(STARTS, _trajectories(ctx)):
        gaps = _f(xs[:, 0])                                                       # f(x_k) − f*, f* = 0
        bound = (1 - MU / L) ** k * _f(np.array([s]))[0]
        bad = np.flatnonzero(~(gaps <= bound * (1 + 1e-12)))
        expect(bad.size == 0, f"from x0 = {s:.4g}, f(x_k) − f* = {gaps[bad[0]] if bad.size else 0:.6g} exceeds "
                              f"(1 − μ/L)^k (f(x0) − f*) = {bound[bad[0]] if bad.size else 0:.6g} at "
                              f"k = {bad[0] if bad.size else 0} (μ = 1/32, L = 8)")


@exercise.check(points=1, depends_on="gd_on_the_book_example")
def converges_to_the_only_stationary_point(ctx):
    """f′(x) = 2x + 3 sin 2x vanishes only at x* = 0, and every PL function's stationary points
    are global minima: from each of the 20 starts gd(grad, x0, 1/8, 100) ends within 1e-8 of 0."""
    for s, xs in zip(STARTS, _trajectories(ctx)):
        expect(bool(np.abs(xs[-1, 0]) <= 1e-8), f"from x0 = {s:.4g}, gd ends at x_100 = {xs[-1, 0]:.6g}, not at x* = 0")


@oracle
def _softplus_trajectory(x0: np.ndarray, step: float, iters: int) -> np.ndarray:
    """The reference's gd on f(x) = Σ log(1 + e^{x_i}) + ½‖x‖² (gradient σ(x) + x)."""
    module = importlib.import_module(exercise.reference_name)              # the module itself, never a recording
    return module.gd(lambda x: 1 / (1 + np.exp(-x)) + x, x0, step, iters)


@exercise.check(points=1, visibility="hidden")
def gd_edge_cases(ctx):
    """iters = 0 gives x0 alone, shape (1, d); on a non-quadratic f in d = 3 (gradient σ(x) + x)
    the trajectory is the reference's (relative 1e-10)."""
    x0 = np.array([1.5, -2.0, 0.25])
    got = ctx.call("gd", ctx.function("lambda x: 2 * x"), x0, 0.1, 0, returns=Array((1, 3)))
    assert_close(got, x0[None, :], rtol=0, name="gd(grad, x0, 0.1, 0)")
    got = ctx.call("gd", ctx.function("lambda x: 1 / (1 + np.exp(-x)) + x"), x0, 0.4, 12, returns=Array((13, 3)))
    assert_close(got, _softplus_trajectory(x0, 0.4, 12), rtol=1e-10, name="gd on Σ log(1 + e^x) + ½‖x‖²")


# ---- the PL constant -----------------------------------------------------------------------------

@exercise.check(points=2)
def pl_constant_of_the_book_example(ctx):
    """pl_constant_estimate(f, grad, grid, 0.0) on a grid of [−10, 10] (spacing 1e-3, shape
    (20001, 1), holding x* = 0, where the ratio is 0/0 and is skipped) is min ½f′²/(f − f*),
    in [0.17, 0.18] (about 0.1755), equal to the expected value to relative 1e-10."""
    grid = _grid()
    got = ctx.call("pl_constant_estimate", ctx.function(F_SOURCE), ctx.function(GRAD_SOURCE), grid, 0.0,
                   returns=Float())
    expect(bool(0.17 <= got <= 0.18), f"the empirical PL constant on [−10, 10] should be in [0.17, 0.18]; got {got!r}")
    assert_close(got, _pl_constant("book", grid, 1e-12), rtol=1e-10,
                 name="pl_constant_estimate on the grid of [−10, 10]")


@exercise.check(points=2, given={"case": arrays(M=("d", "d"), c="d", P=("n", "d"), dims={"d": (2, 5), "n": (6, 12)}),
                                 "f_star": st.floats(-5.0, 5.0)}, max_examples=15)
def pl_constant_of_a_quadratic(ctx, case, f_star):
    """For f(x) = ½(x − c)ᵀA(x − c) + f* the ratio ½‖∇f‖²/(f − f*) is at least λ_min(A), with
    equality along its eigenvector: on random points, the minimizer c (0/0, skipped) and
    c + v_min, pl_constant_estimate is λ_min(A) (relative 1e-9), with f* ≠ 0."""
    A = case.M @ case.M.T + 0.1 * np.eye(case.d)
    lam, Q = np.linalg.eigh(A)
    pts = np.vstack([case.c + case.P, case.c, case.c + Q[:, 0]])                  # (n + 2, d)
    Al, cl = _literal(A), _literal(case.c)
    f = ctx.function(f"lambda x: float(0.5 * (x - {cl}) @ {Al} @ (x - {cl})) + {f_star!r}")
    grad = ctx.function(f"lambda x: {Al} @ (x - {cl})")
    got = ctx.call("pl_constant_estimate", f, grad, pts, f_star, returns=Float())
    assert_close(got, lam[0], rtol=1e-9, name=f"pl_constant_estimate of a quadratic with f* = {f_star:.4g} (λ_min(A))")


@exercise.table(points=1, rows=[
    row("pl_constant_honours_tiny", "Points with f(x) − f* ≤ tiny are skipped, for the tiny given: on a grid of "
        "[−1, 1] for f(x) = x² + x⁴, whose ratio ½f′²/f grows with |x|, the estimate is the ratio at the "
        "smallest |x| with f(x) > tiny, for tiny = 1e-12, 0.05 and 0.3 (relative 1e-10).",
        key="quartic", lo=-1.0, hi=1.0, tinies=(1e-12, 0.05, 0.3)),
    row("pl_constant_book_with_tiny", "On the book example's grid of [−10, 10] (601 points) with tiny = 0.05, "
        "skipping the points near x* = 0 leaves the estimate near 0.1755 (relative 1e-10).",
        key="book", lo=-10.0, hi=10.0, tinies=(0.05,)),
])
def pl_constant_with_tiny(ctx, key, lo, hi, tinies):
    f, grad = (ctx.function(source) for source in PL_FUNCTIONS[key])
    grid = np.linspace(lo, hi, 401 if key == "quartic" else 601)[:, None]
    for tiny in tinies:
        got = ctx.call("pl_constant_estimate", f, grad, grid, 0.0, tiny=tiny, returns=Float())
        assert_close(got, _pl_constant(key, grid, tiny), rtol=1e-10,
                     name=f"pl_constant_estimate on [{lo:g}, {hi:g}] with tiny = {tiny:g}")


# ---- Lemma 11.1: convexity ----------------------------------------------------------------------

@exercise.check(points=1)
def lemma_11_1_convexity(ctx):
    """On a grid of [−10, 10] holding the points kπ, f″ = 2 + 6 cos 2x < 0 somewhere (f is not
    convex), while g = (L/2)x² − f has g″ = L − f″ ≥ 0 exactly when L ≥ max f″ = 8 (Lemma 11.1;
    at L = 8, g″ = 0 at x = kπ): is_convex_on_grid gives False for f″, f″ + 3.9 and L − f″ with
    L = 4, 6, 7.9, and True for f″ + 4 and L − f″ with L = 8, 8.5, 10, 12."""
    x = np.sort(np.r_[np.linspace(-10.0, 10.0, 2001), np.pi * np.arange(-3, 4)])
    fpp = 2 + 6 * np.cos(2 * x)
    cases = [("f″", fpp, False), ("f″ + 3.9", fpp + 3.9, False), ("f″ + 4", fpp + 4.0, True)]
    cases += [(f"{c:g} − f″", c - fpp, c >= L) for c in (8.0, 4.0, 10.0, 6.0, 8.5, 7.9, 12.0)]
    got = ctx.map("is_convex_on_grid", [(values,) for _, values, _ in cases], returns=Bool())
    for (label, values, want), g in zip(cases, got):
        ctx.report_call("is_convex_on_grid", values)
        expect(g is want, f"is_convex_on_grid({label}) should be {want} (min {float(np.min(values)):.3g}); got {g}")


@exercise.table(points=1, rows=[
    row("convex_zero_and_rounding", "f″ values ≥ −tol count as nonnegative: zeros and −1e-15 (rounding) "
        "give True with the default tol = 1e-12, as do all-positive values.",
        cases=(([0.0, 2.0, 0.0], True), ([3.0, -1e-15, 1.0, 0.0], True), ([1.0, 2.0, 3.0, 4.5], True),
               ([-1e-6, 1.0, 2.0], False))),
    row("convex_one_negative_anywhere", "One negative value below −tol anywhere (first, middle or last) "
        "gives False.",
        cases=(([-0.5, 1.0, 2.0, 3.0], False), ([1.0, 2.0, -0.5, 3.0], False), ([1.0, 2.0, 3.0, -1e-9], False),
               ([2.0, 1.0, 0.5, 1.5], True))),
])
def convexity_cases(ctx, cases):
    values = [np.array(v) for v, _ in cases]
    got = ctx.map("is_convex_on_grid", [(v,) for v in values], returns=Bool())
    for v, (_, want), g in zip(values, cases, got):
        ctx.report_call("is_convex_on_grid", v)
        expect(g is want, f"is_convex_on_grid({v.tolist()}) should be {want}; got {g}")
