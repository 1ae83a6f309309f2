"""ch01.prox_duality — the subdifferential of |·|, soft thresholding (ex 1.13–1.15), ℓ1 denoising
through its dual (ex 1.20, with the corrected dual of CURRICULUM §15.2), and the book's
minimum-norm QP through its Lagrangian."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from graders.authoring import Array, Exercise, Tuple, assert_close, expect, rng, seeds

exercise = Exercise(module="ch01.duality", title="Subgradients, the ℓ1 prox and Lagrangian duality",
                    functions=("subdiff_abs", "prox_l1", "solve_l1_denoise", "min_norm_via_dual"))

_prox_cases = st.tuples(st.integers(1, 12), st.sampled_from([0.0, 0.3, 1.0, 2.5]), seeds())
#: ℓ1 denoising problems: the kind of A (first differences = total variation, or random), n, seed.
_denoise_cases = st.tuples(st.sampled_from(["tv", "random"]), st.integers(3, 9), seeds())
#: Full-row-rank A (m < n) for the minimum-norm QP.
_min_norm_cases = st.tuples(st.integers(1, 4), st.integers(1, 4), seeds())


def _denoise_problem(kind, n, seed):
    g = rng(seed)
    if kind == "tv":
        A = np.diff(np.eye(n), axis=0)                                     # (n−1, n) first differences
        y = np.repeat(g.normal(scale=2.0, size=2), [n // 2, n - n // 2]) + 0.5 * g.normal(size=n)
    else:
        A = g.normal(size=(n + 2 if seed % 2 else max(1, n - 2), n)) / 2  # (m, n), m ≠ n
        y = g.normal(scale=2.0, size=n)
    return y, A


@exercise.check(points=1)
def subdiff_abs_intervals(ctx):
    """subdiff_abs(x) = (lo, hi) with ∂|x| = {sign x} away from 0 and [−1, 1] at 0, for a vector and
    a matrix of values."""
    for x in (np.array([-2.0, 0.0, 3.5, -1e-9, 0.0]), np.array([[0.0, 1.0, -4.0], [2.0, 0.0, -0.5]])):
        lo, hi = ctx.call("subdiff_abs", x, returns=Tuple(Array(x.shape), Array(x.shape)))
        want_lo, want_hi = ctx.ref.subdiff_abs(x)
        assert_close(lo, want_lo, rtol=0, atol=0, name="lo of subdiff_abs(x)")
        assert_close(hi, want_hi, rtol=0, atol=0, name="hi of subdiff_abs(x)")


@exercise.check(points=1, given={"case": _prox_cases}, max_examples=15)
def prox_moreau_identity(ctx, case):
    """prox_l1(v, λ) + clip(v, −λ, λ) = v (Moreau), and the prox is exactly 0 where |v| ≤ λ."""
    n, lam, seed = case
    v = rng(seed).normal(scale=2.0, size=n)
    p = ctx.call("prox_l1", v, lam, returns=Array(v.shape))
    assert_close(p + np.clip(v, -lam, lam), v, rtol=1e-12, atol=1e-15,
                 name="prox_l1(v, λ) + clip(v, −λ, λ) (should be v)")
    inside = np.abs(v) <= lam
    expect(np.all(p[inside] == 0), f"prox_l1(v, {lam:g}) should be exactly 0 where |v| ≤ λ; "
                                   f"got {p[inside][p[inside] != 0][:3].tolist()}")


@exercise.check(points=1, given={"case": _prox_cases}, max_examples=15)
def prox_optimality(ctx, case):
    """p = prox_l1(v, λ) satisfies 0 ∈ (p − v) + λ∂|p|: p − v + λ sign p = 0 where p ≠ 0, and
    |v| ≤ λ where p = 0 (relative 1e-12)."""
    n, lam, seed = case
    v = rng(seed).normal(scale=2.0, size=n)
    p = ctx.call("prox_l1", v, lam, returns=Array(v.shape))
    nz = p != 0
    assert_close((p - v + lam * np.sign(p))[nz], np.zeros(int(nz.sum())), rtol=0, atol=1e-12 * (1 + np.abs(v).max()),
                 name="p − v + λ sign(p) where p = prox_l1(v, λ) ≠ 0")
    bad = np.flatnonzero(~nz & (np.abs(v) > lam * (1 + 1e-12)))
    expect(bad.size == 0, f"prox_l1(v, {lam:g}) is 0 at v = {v[bad[0]] if bad.size else 0:.6g}, "
                          "but 0 ∈ (p − v) + λ∂|p| needs |v| ≤ λ there")


@exercise.check(points=2, given={"case": _denoise_cases}, max_examples=6)
def l1_denoise_duality_gap(ctx, case):
    """solve_l1_denoise(y, A) returns (x, u) with ‖u‖∞ ≤ 1 exactly and a zero duality gap:
    P(x) − D(u) ≤ 1e-8·max(1, |P|), where P(x) = ‖y − x‖² + ‖Ax‖₁ and D(u) = uᵀAy − ¼‖Aᵀu‖²
    (the dual printed in the book for ex 1.20 is a misprint and leaves a gap)."""
    kind, n, seed = case
    y, A = _denoise_problem(kind, n, seed)
    x, u = ctx.call("solve_l1_denoise", y, A, returns=Tuple(Array((n,)), Array((A.shape[0],))))
    expect(np.max(np.abs(u)) <= 1.0, f"the dual solution u should satisfy ‖u‖∞ ≤ 1 exactly; got ‖u‖∞ = "
                                     f"{np.max(np.abs(u)):.17g}")
    P = float(np.sum((y - x) ** 2) + np.abs(A @ x).sum())                 # ‖y − x‖² + ‖Ax‖₁
    D = float(u @ (A @ y) - 0.25 * np.sum((A.T @ u) ** 2))                 # uᵀAy − ¼‖Aᵀu‖²
    expect(P - D <= 1e-8 * max(1.0, abs(P)),
           f"duality gap P(x) − D(u) = {P - D:.3g} with P(x) = ‖y − x‖² + ‖Ax‖₁ = {P:.10g} and D(u) = uᵀAy − ¼‖Aᵀu‖² "
           f"= {D:.10g}; should be ≤ {1e-8 * max(1.0, abs(P)):.3g} (A {A.shape}, {kind})")


@exercise.check(points=1, visibility="hidden", given={"case": _denoise_cases}, max_examples=5)
def l1_denoise_matches_high_accuracy_solve(ctx, case):
    """The denoised x equals the grader's high-accuracy primal-dual solution (relative 1e-6)."""
    kind, n, seed = case
    y, A = _denoise_problem(kind, n, seed)
    x, _ = ctx.call("solve_l1_denoise", y, A, returns=Tuple(Array((n,)), Array((A.shape[0],))))
    want, _ = ctx.ref.solve_l1_denoise(y, A)
    assert_close(x, want, rtol=1e-6, name="the denoised x")


@exercise.check(points=2, given={"case": _min_norm_cases}, max_examples=12)
def min_norm_via_dual_solution(ctx, case):
    """min ½‖x‖² s.t. Ax = b with L = ½‖x‖² + uᵀ(Ax − b): Ax = b, x = A⁺b, x = −Aᵀu and
    ½‖x‖² = g(u) = −½‖Aᵀu‖² − bᵀu (relative 1e-10)."""
    m, extra, seed = case
    g = rng(seed)
    A, b = g.normal(size=(m, m + extra)), g.normal(size=m)
    x, u = ctx.call("min_norm_via_dual", A, b, returns=Tuple(Array((m + extra,)), Array((m,))))
    assert_close(A @ x, b, rtol=1e-10, name="A x for the x of min_norm_via_dual (should be b)")
    assert_close(x, ctx.ref.min_norm_via_dual(A, b)[0], rtol=1e-10, name="x (should be the minimum-norm solution A⁺b)")
    assert_close(x, -A.T @ u, rtol=1e-10, name="x − (−Aᵀu) (stationarity of L = ½‖x‖² + uᵀ(Ax − b))")
    assert_close(0.5 * x @ x, -0.5 * np.sum((A.T @ u) ** 2) - b @ u, rtol=1e-10, name="½‖x‖² − g(u) (no duality gap)")


@exercise.check(points=1, visibility="hidden", given={"case": _prox_cases}, max_examples=10)
def prox_matches_soft_threshold(ctx, case):
    """prox_l1 equals sign(v)·max(|v| − λ, 0) on vectors and matrices (relative 1e-12)."""
    n, lam, seed = case
    V = rng(seed).normal(scale=2.0, size=(n, 3))
    got = ctx.call("prox_l1", V, lam, returns=Array(V.shape))
    assert_close(got, np.sign(V) * np.maximum(np.abs(V) - lam, 0.0), rtol=1e-12, name="soft thresholding")
