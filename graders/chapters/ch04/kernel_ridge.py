"""ch04.kernel_ridge — kernel ridge regression by the representer theorem: α = (K + λI)⁻¹y
minimizes ‖y − Kα‖² + λαᵀKα (eq 4.24); predictions Σ α_i k(x_i, x), no bias."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from graders.authoring import Array, Exercise, assert_close, distinct_dims, expect, rng, seeds
from graders.authoring.oracles import oracle
from graders.chapters.ch04._kernels import KERNELS, phi_poly2

exercise = Exercise(module="ch04.krr", functions=("krr_fit", "krr_predict"), forbidden=("torch", "scipy", "sympy"),
                    title="Kernel ridge regression")

#: λ values; none is 1 (so λ, λ² and nλ differ).
_lams = st.sampled_from([0.01, 0.3, 3.0, 30.0])


def _problem(seed: int, n: int, m: int, kernel: str = "rbf"):
    """Training points (n, 2) with noisy targets, test points (m, 2), K (n, n) and K_test (m, n)."""
    g = rng(seed)
    X, X_test = g.normal(size=(n, 2)), g.normal(size=(m, 2))
    y = np.sin(X[:, 0]) + X[:, 1] ** 2 + 0.1 * g.normal(size=n)
    k = KERNELS[kernel]
    return X, X_test, y, k(X, X), k(X_test, X)


@oracle
def _primal_ridge(Phi: np.ndarray, y: np.ndarray, lam: float) -> np.ndarray:
    """The primal ridge weights w = (ΦᵀΦ + λI)⁻¹Φᵀy in feature space, for Φ (n, q): (q,)."""
    return np.linalg.solve(Phi.T @ Phi + lam * np.eye(Phi.shape[1]), Phi.T @ y)


@exercise.check(points=2, given={"n": st.integers(3, 20), "lam": _lams, "seed": seeds()}, max_examples=20)
def stationarity(ctx, n, lam, seed):
    """α is stationary for ‖y − Kα‖² + λαᵀKα: (K² + λK)α = Ky (RBF Gram, which is positive
    definite; relative 1e-10)."""
    _, _, y, K, _ = _problem(seed, n, 1)
    alpha = ctx.call("krr_fit", K, y, lam, returns=Array(y.shape))
    norm = np.linalg.norm(K, 2)
    scale = norm * ((norm + lam) * np.linalg.norm(ctx.ref.krr_fit(K, y, lam)) + np.linalg.norm(y))
    assert_close((K @ K + lam * K) @ alpha - K @ y, np.zeros(n), rtol=0, atol=1e-10 * scale,
                 name=f"the stationarity residual (K² + λK)α − Ky (λ = {lam:g})")


@exercise.check(points=2)
def push_through_explicit_features(ctx):
    """Representer theorem / push-through: with the explicit features Φ (n, 6) of (xᵀz + 1.5)²,
    Φᵀα equals the primal ridge w = (ΦᵀΦ + λI)⁻¹Φᵀy and krr_predict equals φ(x)ᵀw (1e-8)."""
    X, X_test, y, K, K_test = _problem(14, 20, 7, kernel="poly2")
    Phi, Phi_test = phi_poly2(X), phi_poly2(X_test)           # (n, 6), (m, 6)
    for lam in (0.7, 12.0):
        alpha = ctx.call("krr_fit", K, y, lam, returns=Array(y.shape))
        w = _primal_ridge(Phi, y, lam)                                 # primal ridge in feature space
        assert_close(Phi.T @ alpha, w, rtol=1e-8, name=f"Φᵀα (vs the primal ridge w, λ = {lam:g})")
        assert_close(ctx.call("krr_predict", K_test, alpha), Phi_test @ w, rtol=1e-8,
                     name=f"krr_predict(K_test, α) (vs φ(x)ᵀw, λ = {lam:g})")


@exercise.check(points=1, given={"dims": distinct_dims(3, 1, 9), "seed": seeds()}, max_examples=15)
def predict_is_kernel_expansion(ctx, dims, seed):
    """krr_predict(K_test (m, n), α) = K_test α = Σ_i α_i k(x_i, x), with no bias, for α of shape
    (n,) and (n, t) (1e-12)."""
    m, n, t = dims
    g = rng(seed)
    K_test, alpha, A = g.normal(size=(m, n)), g.normal(size=n), g.normal(size=(n, t))
    assert_close(ctx.call("krr_predict", K_test, alpha), ctx.ref.krr_predict(K_test, alpha), rtol=1e-12,
                 name="krr_predict(K_test, alpha)")
    assert_close(ctx.call("krr_predict", K_test, A), ctx.ref.krr_predict(K_test, A), rtol=1e-12,
                 name=f"krr_predict(K_test, alpha) with alpha of shape {A.shape}")


@exercise.check(points=1)
def interpolates_as_lambda_vanishes(ctx):
    """With a positive-definite K (RBF, distinct points), λ = 0 interpolates, Kα = y (1e-8), and
    λ = 1e-10 nearly does (1e-6); with the singular K = 11ᵀ (the constant kernel) krr_fit raises
    ValueError at λ = 0 (K + λI is singular)."""
    _, _, y, K, _ = _problem(15, 8, 1)
    assert_close(K @ ctx.call("krr_fit", K, y, 0.0, returns=Array(y.shape)), y, rtol=1e-8, name="Kα with λ = 0 (vs y)")
    assert_close(K @ ctx.call("krr_fit", K, y, 1e-10, returns=Array(y.shape)), y, rtol=0, atol=1e-6,
                 name="Kα with λ = 1e-10 (vs y)")
    ones = np.ones((4, 4))
    outcome = ctx.outcome("krr_fit", ones, y[:4], 0.0)
    expect(outcome.status == "student_error" and outcome.error is not None and outcome.error.type == "ValueError",
           "krr_fit(K, y, 0.0) should raise ValueError for the singular K = 11ᵀ (4 × 4), where K + λI has no "
           "inverse; " + ("it returned a value" if outcome.status == "ok" else
                          f"it raised {outcome.error.one_line() if outcome.error else outcome.status}"))


@exercise.check(points=1)
def multi_output(ctx):
    """y of shape (n, t) gives α of shape (n, t), column j the fit of y[:, j] (1e-12), and
    predictions of shape (m, t)."""
    _, _, y, K, K_test = _problem(13, 15, 6)
    Y = np.stack([y, y**2, -y], axis=1)                       # (n, 3)
    alpha = ctx.call("krr_fit", K, Y, 0.3, returns=Array(Y.shape))
    for j in range(3):
        assert_close(alpha[:, j], ctx.call("krr_fit", K, Y[:, j].copy(), 0.3, returns=Array(y.shape)), rtol=1e-12,
                     name=f"column {j} of α (vs fitting y[:, {j}] alone)")
    want = ctx.ref.krr_fit(K, Y, 0.3)
    assert_close(alpha, want, rtol=1e-10, name="α for y of shape (n, 3)")
    assert_close(ctx.call("krr_predict", K_test, alpha), ctx.ref.krr_predict(K_test, want), rtol=1e-8,
                 name="krr_predict for t = 3 outputs")


@exercise.check(points=2, visibility="hidden",
                given={"n": st.integers(3, 20), "lam": _lams, "kernel": st.sampled_from(["rbf", "poly2"]),
                       "seed": seeds()}, max_examples=15)
def matches_sklearn(ctx, n, lam, kernel, seed):
    """α equals KernelRidge(alpha=λ, kernel='precomputed').dual_coef_ (same λ, no 1/n; 1e-8), and
    so do the predictions."""
    from sklearn.kernel_ridge import KernelRidge  # the oracle, imported on first use (see graders.chapters)

    _, _, y, K, K_test = _problem(seed, n, 5, kernel)
    model = KernelRidge(alpha=lam, kernel="precomputed").fit(K, y)
    alpha = ctx.call("krr_fit", K, y, lam, returns=Array(y.shape))
    assert_close(alpha, model.dual_coef_, rtol=1e-8, name=f"α (vs sklearn KernelRidge, λ = {lam:g})")
    assert_close(ctx.call("krr_predict", K_test, alpha), model.predict(K_test), rtol=1e-8,
                 name=f"the predictions (vs sklearn KernelRidge, λ = {lam:g})")
