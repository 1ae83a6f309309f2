"""ch02.kernels_features — polynomial, RBF (σ-form) and sigmoid kernels, and the explicit feature
maps of (xᵀz + c)² (ex 2.1) and (xᵀz)² (2.36), in the row convention."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from graders.authoring import Array, Exercise, assert_close, distinct_dims, expect, rng, seeds
from graders.authoring.checks.kkt import assert_psd
from graders.authoring.oracles import oracle

exercise = Exercise(module="ch02.kernels", title="Kernels and explicit feature maps",
                    functions=("poly_kernel", "rbf_kernel", "sigmoid_kernel", "poly2_features", "quad_features"))

#: Pairwise different (n, m, d) and a seed, as these checks have always drawn them; _pair builds
#: X (n, d) and Z (m, d). (arrays() would draw other examples: it would order the sizes n, d, m,
#: and beyond about ten examples hypothesis draws other ones through its mapped strategy.)
_pairs = st.tuples(distinct_dims(3, 1, 7), seeds())


def _pair(case) -> tuple[np.ndarray, np.ndarray, np.random.Generator]:
    """X (n, d) and Z (m, d) of a case of _pairs, N(0, 1), and the generator that drew them."""
    (n, m, d), seed = case
    g = rng(seed)
    return g.normal(size=(n, d)), g.normal(size=(m, d)), g


@oracle
def _sklearn_rbf(X: np.ndarray, Z: np.ndarray, sigma: float) -> np.ndarray:
    """scikit-learn's rbf_kernel with gamma = 1/(2σ²), (n, m) (the oracle, imported on first use)."""
    from sklearn.metrics.pairwise import rbf_kernel

    return rbf_kernel(X, Z, gamma=1 / (2 * sigma**2))


@exercise.check(points=1)
def kernel_output_shapes(ctx):
    """Every kernel returns the (n, m) matrix K[i, j] = k(x_i, z_j) for X (5, 3) and Z (4, 3): one row
    per x_i, one column per z_j, with the kernel's values (relative 1e-10)."""
    g = rng(21)
    X, Z = g.normal(size=(5, 3)), g.normal(size=(4, 3))
    for func, args in (("poly_kernel", (2, 1.0)), ("rbf_kernel", (1.0,)), ("sigmoid_kernel", (0.5, 0.1))):
        call = f"{func}(X, Z, {', '.join(map(str, args))})"
        got = ctx.call(func, X, Z, *args, returns=Array((5, 4), label=f"{call} for X (5, 3) and Z (4, 3)"))
        assert_close(got, getattr(ctx.ref, func)(X, Z, *args), rtol=1e-10, name=call)


@exercise.check(points=1, max_examples=15,
                given={"case": _pairs, "p": st.sampled_from([1, 2, 3]), "c": st.sampled_from([0.0, 0.5, 2.0])})
def poly_kernel_values(ctx, case, p, c):
    """poly_kernel(X, Z, p, c) = (XZᵀ + c)^p (relative 1e-10)."""
    X, Z, _ = _pair(case)
    assert_close(ctx.call("poly_kernel", X, Z, p, c, returns=Array((len(X), len(Z)))), ctx.ref.poly_kernel(X, Z, p, c),
                 rtol=1e-10, name=f"poly_kernel(X, Z, {p}, {c:g})")


@exercise.check(points=1, given={"case": _pairs, "sigma": st.sampled_from([0.5, 1.0, 3.0])}, max_examples=15)
def rbf_matches_sklearn(ctx, case, sigma):
    """rbf_kernel(X, Z, σ) = exp(−‖x − z‖²/(2σ²)), scikit-learn's rbf_kernel with gamma = 1/(2σ²)
    (relative 1e-10)."""
    X, Z, _ = _pair(case)
    assert_close(ctx.call("rbf_kernel", X, Z, sigma, returns=Array((len(X), len(Z)))),
                 _sklearn_rbf(X, Z, sigma), rtol=1e-10, atol=1e-15, name=f"rbf_kernel(X, Z, σ={sigma:g})")


@exercise.check(points=1, visibility="hidden", given={"case": _pairs}, max_examples=10)
def sigmoid_matches_sklearn(ctx, case):
    """sigmoid_kernel(X, Z, η, ν) = tanh(η XZᵀ + ν), scikit-learn's sigmoid_kernel (relative 1e-10)."""
    from sklearn.metrics.pairwise import sigmoid_kernel as sk_sigmoid  # the oracle, imported on first use

    X, Z, g = _pair(case)
    eta, nu = float(g.uniform(0.1, 1.0)), float(g.uniform(-1.0, 1.0))
    assert_close(ctx.call("sigmoid_kernel", X, Z, eta, nu, returns=Array((len(X), len(Z)))),
                 sk_sigmoid(X, Z, gamma=eta, coef0=nu), rtol=1e-10, name=f"sigmoid_kernel(X, Z, {eta:.3g}, {nu:.3g})")


# Drawn as ever, not by arrays(X=("n", 2), Z=("m", 2)): beyond about ten examples that draws others.
@exercise.check(points=2, given={"case": st.tuples(distinct_dims(2, 1, 8), seeds()),
                                 "c": st.sampled_from([0.0, 0.5, 2.0])}, max_examples=15)
def feature_maps_reproduce_kernels(ctx, case, c):
    """φ(x)ᵀφ(z) = k(x, z): poly2_features(X, c) (n × 6) gives (xᵀz + c)² (ex 2.1) and
    quad_features(X) (n × 3) gives (xᵀz)² (2.36) (relative 1e-10)."""
    (n, m), seed = case
    g = rng(seed)
    X, Z = g.normal(size=(n, 2)), g.normal(size=(m, 2))
    F = ctx.call("poly2_features", X, c, returns=Array((n, 6)))
    G = ctx.call("poly2_features", Z, c, returns=Array((m, 6)))
    assert_close(F @ G.T, ctx.ref.poly_kernel(X, Z, 2, c), rtol=1e-10,
                 name=f"poly2_features(X, {c:g}) @ poly2_features(Z, {c:g}).T")
    F = ctx.call("quad_features", X, returns=Array((n, 3)))
    G = ctx.call("quad_features", Z, returns=Array((m, 3)))
    assert_close(F @ G.T, ctx.ref.poly_kernel(X, Z, 2, 0.0), rtol=1e-10, name="quad_features(X) @ quad_features(Z).T")


@exercise.check(points=1, visibility="hidden", given={"seed": seeds(), "c": st.sampled_from([0.5, 2.0])},
                max_examples=5)
def feature_order_is_pinned(ctx, seed, c):
    """The features come in the documented order: [x1², x2², √2x1x2, √(2c)x1, √(2c)x2, c] and
    [x1², x2², √2x1x2] (relative 1e-12)."""
    X = rng(seed).normal(size=(7, 2))
    x1, x2 = X[:, 0], X[:, 1]
    r = np.sqrt(2 * c)
    want = np.stack([x1**2, x2**2, np.sqrt(2) * x1 * x2, r * x1, r * x2, np.full(7, c)], axis=1)
    assert_close(ctx.call("poly2_features", X, c, returns=Array((7, 6))), want, rtol=1e-12,
                 name=f"poly2_features(X, {c:g})")
    assert_close(ctx.call("quad_features", X, returns=Array((7, 3))), want[:, :3], rtol=1e-12, name="quad_features(X)")


@exercise.check(points=1, visibility="hidden", given={"seed": seeds()}, max_examples=5,
                depends_on="kernel_output_shapes")
def gram_matrices_are_psd(ctx, seed):
    """The Gram matrices K(X, X) of rbf (σ ∈ {0.5, 3}) and poly ((xᵀz + 1)³, (xᵀz)²) are symmetric
    positive semidefinite (λ_min ≥ −1e-10‖K‖₂) for 30 points in R³; counts once
    kernel_output_shapes passes (a constant matrix is PSD too)."""
    X = rng(seed).normal(size=(30, 3))
    for func, args in (("rbf_kernel", (0.5,)), ("rbf_kernel", (3.0,)),
                       ("poly_kernel", (3, 1.0)), ("poly_kernel", (2, 0.0))):
        K = ctx.call(func, X, X, *args, returns=Array((30, 30)))
        assert_close(K, K.T, rtol=1e-12, name=f"{func}(X, X, {', '.join(map(str, args))}) − its transpose")
        assert_psd(K, rtol=1e-10, name=f"{func}(X, X, {', '.join(map(str, args))})")


@exercise.check(points=1)
def ellipse_becomes_halfspace(ctx):
    """(2.35): the ellipse x1² + 2x2² + 2x1x2 ≤ 2 is the halfspace φ1 + 2φ2 + √2φ3 ≤ 2 of
    quad_features, on 10⁴ points of [−3, 3]² (exact agreement, no point within 1e-9 of the boundary)."""
    X = rng(4).uniform(-3, 3, size=(10_000, 2))
    inside = X[:, 0] ** 2 + 2 * X[:, 1] ** 2 + 2 * X[:, 0] * X[:, 1] <= 2.0
    phi = ctx.call("quad_features", X, returns=Array((10_000, 3)))
    plane = phi @ np.array([1.0, 2.0, np.sqrt(2.0)]) <= 2.0
    wrong = np.flatnonzero(plane != inside)
    expect(wrong.size == 0, f"φ1 + 2φ2 + √2φ3 ≤ 2 should hold exactly where x1² + 2x2² + 2x1x2 ≤ 2; they disagree "
                            f"on {wrong.size} of 10⁴ points, e.g. x = "
                            f"{X[wrong[0]].round(4).tolist() if wrong.size else ''}")
