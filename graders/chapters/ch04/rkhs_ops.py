"""ch04.rkhs_ops — inner products, norms and evaluation of kernel expansions (eq 4.12), and the
feature-space mean, variance (ex 4.8) and squared distances (ex 4.7, d² not d: erratum 5)."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from graders.authoring import Array, Exercise, Float, arrays, assert_close, distinct_dims, expect, rng, seeds
from graders.chapters.ch04._kernels import KERNELS, phi_poly2

exercise = Exercise(module="ch04.rkhs", title="Computing in an RKHS through the kernel",
                    forbidden=("torch", "scipy", "sympy"), functions=(
    "rkhs_inner", "rkhs_norm", "evaluate", "feature_mean_norm2", "feature_variance", "kernel_dist2"))

_kernel_names = st.sampled_from(["rbf", "poly2", "linear"])


def _zero_function_points() -> np.ndarray:
    """u, v and u + v (3, 2): with a = (1, 1, −1) the linear kernel's f is zero, and aᵀKa rounds
    to about −1e-16 in every order of summation (a square root without clipping gives NaN)."""
    u, v = rng(0).normal(size=(2, 2))
    return np.array([u, v, u + v])


_ZERO_FUNCTION_POINTS = _zero_function_points()


def _expansion(seed: int, r: int, d: int) -> tuple[np.ndarray, np.ndarray]:
    g = rng(seed)
    return g.normal(size=r), g.normal(size=(r, d))  # a (r,), Xa (r, d)


@exercise.check(points=2, given={"kernel": _kernel_names, "dims": distinct_dims(3, 1, 8), "seed": seeds()},
                max_examples=12)
def reproducing_property(ctx, kernel, dims, seed):
    """evaluate(a, Xa, k, X) is f(x) = Σ a_i k(x_i, x), shape (m,), and equals ⟨f, k(x, ·)⟩ =
    rkhs_inner(a, Xa, [1], x, k) at every x (1e-12)."""
    r, m, d = dims
    k = KERNELS[kernel]
    a, Xa = _expansion(seed, r, d)
    X = rng(seed + 1).normal(size=(m, d))
    f = ctx.call("evaluate", a, Xa, k.function(ctx), X, returns=Array((m,)))
    want = ctx.ref.evaluate(a, Xa, k, X)
    tol = 1e-12 * max(1e-300, float(np.max(np.abs(k(Xa, X)).T @ np.abs(a))))   # rounding of Σ a_i k(x_i, x)
    assert_close(f, want, rtol=0, atol=tol, name=f"f(x) = Σ a_i k(x_i, x) ({kernel} kernel)")
    for j in range(m):
        inner = ctx.call("rkhs_inner", a, Xa, np.ones(1), X[j:j + 1], k.function(ctx), returns=Float())
        assert_close(inner, want[j], rtol=0, atol=tol,
                     name=f"rkhs_inner(a, Xa, [1], x_{j}, k) = ⟨f, k(x_{j}, ·)⟩ = f(x_{j})")


@exercise.check(points=1, given={"kernel": _kernel_names, "dims": distinct_dims(2, 1, 8), "seed": seeds()},
                max_examples=12)
def norm_and_cauchy_schwarz(ctx, kernel, dims, seed):
    """rkhs_norm(a, Xa, k) = √(aᵀKa) = √⟨f, f⟩ (1e-12), and |f(x)| ≤ ‖f‖ √k(x, x); the norm of a
    function that is zero up to rounding (f = k(u, ·) + k(v, ·) − k(u + v, ·), linear kernel, where
    aᵀKa rounds below 0) is 0, never NaN (1e-7)."""
    r, m = dims
    k = KERNELS[kernel]
    a, Xa = _expansion(seed, r, 2)
    X = rng(seed + 1).normal(size=(m, 2))
    norm = ctx.call("rkhs_norm", a, Xa, k.function(ctx), returns=Float())
    want = ctx.ref.rkhs_norm(a, Xa, k)
    assert_close(norm, want, rtol=1e-12, atol=1e-15, name="rkhs_norm(a, Xa, k)")
    assert_close(ctx.call("rkhs_inner", a, Xa, a, Xa, k.function(ctx), returns=Float()), want**2, rtol=1e-10,
                 atol=1e-14, name="rkhs_inner(a, Xa, a, Xa, k) (vs ‖f‖²)")
    f = ctx.ref.evaluate(a, Xa, k, X)
    bound = norm * np.sqrt(np.diag(k(X, X)))
    worst = int(np.argmax(np.abs(f) - bound))
    expect(np.abs(f[worst]) <= bound[worst] * (1 + 1e-12) + 1e-15,
           f"|f(x)| ≤ ‖f‖√k(x, x) fails at x_{worst}: |f(x)| = {abs(f[worst]):.6g} > {bound[worst]:.6g} with your ‖f‖")
    a0, Xa0 = np.array([1.0, 1.0, -1.0]), _ZERO_FUNCTION_POINTS
    linear = KERNELS["linear"]
    zero = ctx.call("rkhs_norm", a0, Xa0, linear.function(ctx), returns=Float())
    assert_close(zero, ctx.ref.rkhs_norm(a0, Xa0, linear), rtol=1e-7,
                 scale=float(np.abs(a0) @ np.linalg.norm(Xa0, axis=1)),
                 name="rkhs_norm of f = k(u, ·) + k(v, ·) − k(u + v, ·) = 0, linear kernel (aᵀKa rounds below 0)")


@exercise.check(points=2)
def explicit_poly2_features(ctx):
    """With the explicit features φ of (xᵀz + 1.5)² on R²: rkhs_inner = w_aᵀw_b, rkhs_norm = ‖w_a‖,
    evaluate = φ(x)ᵀw_a, feature_mean_norm2 = ‖mean φ‖², feature_variance = mean ‖φ − mean‖²,
    kernel_dist2 = ‖φ_i − φ_j‖² (relative 1e-10)."""
    k = KERNELS["poly2"]
    g = rng(8)
    a, Xa = g.normal(size=5), g.normal(size=(5, 2))
    b, Xb = g.normal(size=3), g.normal(size=(3, 2))
    X = g.normal(size=(4, 2))
    wa, wb = phi_poly2(Xa).T @ a, phi_poly2(Xb).T @ b  # f = ⟨w_a, φ(·)⟩
    assert_close(ctx.call("rkhs_inner", a, Xa, b, Xb, k.function(ctx), returns=Float()), wa @ wb, rtol=1e-10,
                 name="⟨f, g⟩")
    assert_close(ctx.call("rkhs_norm", a, Xa, k.function(ctx), returns=Float()), np.linalg.norm(wa), rtol=1e-10,
                 name="‖f‖")
    assert_close(ctx.call("evaluate", a, Xa, k.function(ctx), X), phi_poly2(X) @ wa, rtol=1e-10, name="f(x)")
    S = g.normal(size=(11, 2))
    K, Phi = k(S, S), phi_poly2(S)
    mean = Phi.mean(axis=0)
    assert_close(ctx.call("feature_mean_norm2", K, returns=Float()), mean @ mean, rtol=1e-10,
                 name="feature_mean_norm2(K)")
    assert_close(ctx.call("feature_variance", K, returns=Float()), np.mean(np.sum((Phi - mean) ** 2, axis=1)),
                 rtol=1e-10, name="feature_variance(K) (the mean squared distance to the feature mean)")
    D = np.sum((Phi[:, None, :] - Phi[None, :, :]) ** 2, axis=-1)
    assert_close(ctx.call("kernel_dist2", K), D, rtol=1e-10, name="kernel_dist2(K) (squared distances)")


@exercise.check(points=1, given={"case": arrays(X=("n", 2), dims={"n": (2, 10)})}, max_examples=10)
def normalized_kernel_distance(ctx, case):
    """For a normalized kernel (RBF, and the normalized polynomial kernel) kernel_dist2 is
    d² = 2(1 − k) (erratum 5: squared), with an exactly zero diagonal (1e-12)."""
    X, n = case.X, case.n
    P = KERNELS["poly2"](X, X)
    d = np.sqrt(np.diag(P))
    for name, K in (("RBF", KERNELS["rbf"](X, X)), ("normalized poly2", P / np.outer(d, d))):
        D = ctx.call("kernel_dist2", K, returns=Array((n, n)))
        assert_close(D, 2 * (1 - K), rtol=1e-12, atol=1e-14, name=f"kernel_dist2 of the {name} Gram (vs 2(1 − k))")
        assert_close(np.diag(D), np.zeros(n), rtol=0, atol=1e-14, name="the diagonal of kernel_dist2(K)")


@exercise.check(points=2, visibility="hidden",
                given={"kernel": _kernel_names, "case": arrays(X=("n", 3), dims={"n": (1, 12)})}, max_examples=15)
def feature_statistics_match_reference(ctx, kernel, case):
    """feature_mean_norm2 = 1ᵀK1/n², feature_variance = tr K/n − 1ᵀK1/n² and kernel_dist2 =
    K_ii + K_jj − 2K_ij (1e-12) on random Gram matrices."""
    K = KERNELS[kernel](case.X, case.X)
    scale = float(np.max(np.abs(K)))
    assert_close(ctx.call("feature_mean_norm2", K, returns=Float()), ctx.ref.feature_mean_norm2(K), rtol=1e-12,
                 atol=1e-14 * scale, name="feature_mean_norm2(K)")
    assert_close(ctx.call("feature_variance", K, returns=Float()), ctx.ref.feature_variance(K), rtol=1e-12,
                 atol=1e-14 * scale, name="feature_variance(K)")
    assert_close(ctx.call("kernel_dist2", K), ctx.ref.kernel_dist2(K), rtol=1e-12, atol=1e-14 * scale,
                 name="kernel_dist2(K)")


@exercise.check(points=1, visibility="hidden",
                given={"kernel": _kernel_names, "dims": distinct_dims(3, 1, 8), "seed": seeds()}, max_examples=15)
def inner_product_matches_reference(ctx, kernel, dims, seed):
    """rkhs_inner(a, Xa, b, Xb, k) = aᵀK(Xa, Xb)b with r ≠ s (relative 1e-12), and it is symmetric."""
    r, s, d = dims
    k = KERNELS[kernel]
    a, Xa = _expansion(seed, r, d)
    b, Xb = _expansion(seed + 1, s, d)
    want = a @ k(Xa, Xb) @ b
    tol = 1e-12 * max(1.0, float(np.abs(a) @ np.abs(k(Xa, Xb)) @ np.abs(b)))
    assert_close(ctx.call("rkhs_inner", a, Xa, b, Xb, k.function(ctx), returns=Float()), want, rtol=0, atol=tol,
                 name="⟨f, g⟩")
    assert_close(ctx.call("rkhs_inner", b, Xb, a, Xa, k.function(ctx), returns=Float()), want, rtol=0, atol=tol,
                 name="⟨g, f⟩")
