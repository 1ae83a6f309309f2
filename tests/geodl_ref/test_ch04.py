"""Tests of geodl_ref.ch04 (kernels, rkhs, krr, ksvm) against independent oracles.

Oracles: explicit feature maps (the degree-2 polynomial kernel in R²), scikit-learn
(``rbf_kernel``, ``KernelRidge(kernel='precomputed')``), scipy.optimize (L-BFGS-B box QP, SLSQP),
``numpy.linalg.eigvalsh``, sympy (the symbolic answers), and the identities of CURRICULUM §4.
"""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize
from sklearn.kernel_ridge import KernelRidge
from sklearn.metrics.pairwise import rbf_kernel

from geodl_ref.ch04 import derivations as sym
from geodl_ref.ch04.kernels import gram, is_psd, k_poly, k_prod, k_sum, normalize_kernel, sigmoid_counterexample
from geodl_ref.ch04.krr import krr_fit, krr_predict
from geodl_ref.ch04.ksvm import ksvm_nobias_decision, ksvm_nobias_fit
from geodl_ref.ch04.rkhs import evaluate, feature_mean_norm2, feature_variance, kernel_dist2, rkhs_inner, rkhs_norm

SETTINGS = settings(derandomize=True, database=None, deadline=None, max_examples=25)
POLY_C = 1.5


def linear(X, Z):
    return X @ Z.T


def rbf(X, Z, sigma=1.3):
    d2 = (X**2).sum(1)[:, None] + (Z**2).sum(1)[None, :] - 2 * X @ Z.T
    return np.exp(-d2 / (2 * sigma**2))


def poly2(X, Z):
    return (X @ Z.T + POLY_C) ** 2


def phi_poly2(X):
    """Explicit features of (xᵀz + c)² in R²: φ(x)ᵀφ(z) = (xᵀz + c)² (ex 2.1)."""
    x1, x2 = X[:, 0], X[:, 1]
    r = np.sqrt(2 * POLY_C)
    return np.stack([x1**2, x2**2, np.sqrt(2) * x1 * x2, r * x1, r * x2, np.full_like(x1, POLY_C)], axis=1)


def cos_kernel(X, Z):
    return np.cos(X[:, :1] - Z[:, :1].T)                  # cos(x − z) on R¹ (ex 4.1a)


def _points(seed, n=7, d=2):
    return np.random.default_rng(seed).normal(size=(n, d))


def _lam_min_ok(K):
    lam = np.linalg.eigvalsh(0.5 * (K + K.T))
    return lam[0] >= -1e-10 * np.abs(lam).max()


# ---------------------------------------------------------------------------------------------
# kernels.py
# ---------------------------------------------------------------------------------------------
def test_gram_shapes_and_values():
    X, Z = _points(0, 5, 3), _points(1, 8, 3)
    K = gram(linear, X, Z)
    assert K.shape == (5, 8)
    np.testing.assert_allclose(K, X @ Z.T, rtol=1e-15)
    np.testing.assert_allclose(gram(rbf, X), rbf_kernel(X, gamma=1 / (2 * 1.3**2)), rtol=1e-12)
    with pytest.raises(ValueError, match="Z"):
        gram(linear, X, _points(2, 4, 2))
    with pytest.raises(TypeError, match="k should be a kernel callable"):
        gram(np.eye(3), X)
    with pytest.raises(ValueError, match="Gram block"):
        gram(lambda A, B: B @ A.T, X, Z)                  # a transposed (m, n) block


def test_is_psd_on_kernels_and_planted_matrices():
    X = _points(3, 12, 3)
    for k in (linear, rbf, poly2, cos_kernel):
        assert is_psd(gram(k, X))
    rng = np.random.default_rng(4)
    U, _ = np.linalg.qr(rng.normal(size=(6, 6)))
    for scale in (1e-20, 1.0, 1e8):
        planted = scale * U @ np.diag([5.0, 3.0, 1.0, 0.2, 0.0, -1e-6 * 5]) @ U.T   # λ_min = −1e-6‖K‖
        assert not is_psd(planted)
        rounding = scale * U @ np.diag([5.0, 3.0, 1.0, 0.2, 0.0, -1e-13 * 5]) @ U.T
        assert is_psd(rounding)
    assert is_psd(np.zeros((3, 3)))
    # positive eigenvalues but an indefinite quadratic form: the symmetric part decides
    assert not is_psd(np.array([[1.0, 10.0], [0.0, 1.0]]))
    with pytest.raises(ValueError, match="K should be a square"):
        is_psd(np.ones((2, 3)))
    with pytest.raises(ValueError, match="tol"):
        is_psd(np.eye(2), tol=-1.0)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 12), a=st.floats(0, 5), b=st.floats(0, 5))
def test_closure_properties(seed, n, a, b):
    X = _points(seed, n, 2)
    Z = _points(seed + 1, 3, 2)
    ks, kp = k_sum(rbf, poly2, a, b), k_prod(rbf, poly2)
    kq = k_poly(linear, [0.5, 1.0, 0.0, 2.0])
    for k in (ks, kp, kq):
        assert _lam_min_ok(gram(k, X))
    np.testing.assert_allclose(ks(X, Z), a * rbf(X, Z) + b * poly2(X, Z), rtol=1e-12)
    np.testing.assert_allclose(kp(X, Z), rbf(X, Z) * poly2(X, Z), rtol=1e-12)
    L = X @ Z.T
    np.testing.assert_allclose(kq(X, Z), 0.5 + L + 2 * L**3, rtol=1e-12, atol=1e-12)


def test_k_poly_order_and_validation():
    X = _points(5, 4, 2)
    np.testing.assert_allclose(k_poly(linear, [POLY_C**2, 2 * POLY_C, 1.0])(X, X), poly2(X, X), rtol=1e-12)
    np.testing.assert_allclose(k_poly(linear, [3.0])(X, X), np.full((4, 4), 3.0))
    with pytest.raises(ValueError, match="coefs"):
        k_poly(linear, [1.0, -1.0])
    with pytest.raises(ValueError, match="a"):
        k_sum(linear, rbf, -1.0, 1.0)
    with pytest.raises(TypeError, match="k2"):
        k_prod(linear, 3.0)


def test_normalize_kernel():
    X = _points(6, 9, 2)
    X[4] = 0.0                                            # k(x, x) = 0 for the linear kernel
    K = gram(linear, X)
    Kn = normalize_kernel(K)
    assert not np.any(np.isnan(Kn))
    mask = np.arange(9) != 4
    np.testing.assert_allclose(np.diag(Kn)[mask], 1.0, rtol=1e-14)
    assert np.all(Kn[4] == 0.0) and np.all(Kn[:, 4] == 0.0)
    assert _lam_min_ok(Kn)
    F = X[mask] / np.linalg.norm(X[mask], axis=1, keepdims=True)   # cosine similarity oracle
    np.testing.assert_allclose(Kn[np.ix_(mask, mask)], F @ F.T, rtol=1e-12, atol=1e-14)
    Kp = gram(poly2, X)
    Fp = phi_poly2(X)
    Fp = Fp / np.linalg.norm(Fp, axis=1, keepdims=True)
    np.testing.assert_allclose(normalize_kernel(Kp), Fp @ Fp.T, rtol=1e-12, atol=1e-14)
    with pytest.raises(ValueError, match="nonnegative diagonal"):
        normalize_kernel(-np.eye(2))


@pytest.mark.parametrize("eta, nu", [(1.0, -1.0), (1.0, 0.0), (0.5, -0.2)])
def test_sigmoid_counterexample(eta, nu):
    X = sigmoid_counterexample(eta, nu)
    assert X.ndim == 2 and X.shape[0] >= 2
    K = np.tanh(eta * X @ X.T + nu)
    assert np.linalg.eigvalsh(K)[0] < -1e-6
    assert not is_psd(K)


def test_sigmoid_counterexample_validation():
    with pytest.raises(ValueError, match="eta"):
        sigmoid_counterexample(0.0, 1.0)


# ---------------------------------------------------------------------------------------------
# rkhs.py
# ---------------------------------------------------------------------------------------------
def test_reproducing_property_and_cauchy_schwarz():
    rng = np.random.default_rng(7)
    a, Xa, X = rng.normal(size=6), rng.normal(size=(6, 3)), rng.normal(size=(9, 3))
    f = evaluate(a, Xa, rbf, X)
    assert f.shape == (9,)
    for j in range(9):
        inner = rkhs_inner(a, Xa, np.ones(1), X[j:j + 1], rbf)
        assert inner == pytest.approx(f[j], rel=1e-12, abs=1e-15)   # ⟨f, k(x,·)⟩ = f(x)
    norm = rkhs_norm(a, Xa, rbf)
    assert np.all(np.abs(f) <= norm * np.sqrt(np.diag(rbf(X, X))) + 1e-12)
    assert norm**2 == pytest.approx(rkhs_inner(a, Xa, a, Xa, rbf), rel=1e-12)


def test_rkhs_ops_vs_explicit_features():
    rng = np.random.default_rng(8)
    a, Xa = rng.normal(size=5), rng.normal(size=(5, 2))
    b, Xb = rng.normal(size=3), rng.normal(size=(3, 2))
    wa, wb = phi_poly2(Xa).T @ a, phi_poly2(Xb).T @ b     # f = ⟨w_a, φ(·)⟩
    assert rkhs_inner(a, Xa, b, Xb, poly2) == pytest.approx(wa @ wb, rel=1e-10)
    assert rkhs_inner(b, Xb, a, Xa, poly2) == pytest.approx(wa @ wb, rel=1e-10)
    assert rkhs_norm(a, Xa, poly2) == pytest.approx(np.linalg.norm(wa), rel=1e-10)
    X = rng.normal(size=(4, 2))
    np.testing.assert_allclose(evaluate(a, Xa, poly2, X), phi_poly2(X) @ wa, rtol=1e-10)


def test_feature_statistics_vs_explicit_features():
    X = _points(9, 11, 2)
    K, Phi = gram(poly2, X), phi_poly2(X)
    mean = Phi.mean(axis=0)
    assert feature_mean_norm2(K) == pytest.approx(mean @ mean, rel=1e-10)
    assert feature_variance(K) == pytest.approx(np.mean(np.sum((Phi - mean) ** 2, axis=1)), rel=1e-10)
    D = kernel_dist2(K)
    D_ref = np.sum((Phi[:, None, :] - Phi[None, :, :]) ** 2, axis=-1)
    np.testing.assert_allclose(D, D_ref, rtol=1e-10, atol=1e-10 * D_ref.max())
    assert np.all(np.diag(D) == 0.0)
    Kn = normalize_kernel(gram(rbf, X))                   # normalized: d² = 2(1 − k) (erratum 5)
    np.testing.assert_allclose(kernel_dist2(Kn), 2 * (1 - Kn), rtol=1e-12, atol=1e-15)


def test_rkhs_validation():
    a, Xa = np.ones(3), _points(10, 3, 2)
    with pytest.raises(ValueError, match="a"):
        rkhs_norm(np.ones(4), Xa, rbf)
    with pytest.raises(ValueError, match="Xb"):
        rkhs_inner(a, Xa, np.ones(2), _points(11, 2, 3), rbf)
    with pytest.raises(TypeError, match="k should be"):
        evaluate(a, Xa, "rbf", Xa)
    with pytest.raises(ValueError, match="K"):
        feature_variance(np.ones((2, 3)))


# ---------------------------------------------------------------------------------------------
# krr.py
# ---------------------------------------------------------------------------------------------
def _krr_problem(seed, n=15, m=6):
    rng = np.random.default_rng(seed)
    X, Xt = rng.normal(size=(n, 2)), rng.normal(size=(m, 2))
    y = np.sin(X[:, 0]) + 0.1 * rng.normal(size=n)
    return X, Xt, y


@pytest.mark.parametrize("lam", [1e-3, 0.5, 10.0])
def test_krr_vs_sklearn(lam):
    X, Xt, y = _krr_problem(12)
    K, K_test = gram(rbf, X), gram(rbf, Xt, X)
    alpha = krr_fit(K, y, lam)
    kr = KernelRidge(alpha=lam, kernel="precomputed").fit(K, y)
    np.testing.assert_allclose(alpha, kr.dual_coef_, rtol=1e-8, atol=1e-10)
    pred = krr_predict(K_test, alpha)
    assert pred.shape == (6,)
    np.testing.assert_allclose(pred, kr.predict(K_test), rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(pred, evaluate(alpha, X, rbf, Xt), rtol=1e-12)   # Σ α_i k(x_i, x), no bias
    lhs = (K @ K + lam * K) @ alpha                       # stationarity (K² + λK)α = Ky
    np.testing.assert_allclose(lhs, K @ y, rtol=1e-8, atol=1e-10 * np.abs(K @ y).max())


def test_krr_multi_output():
    X, Xt, y = _krr_problem(13)
    Y = np.stack([y, y**2, -y], axis=1)                   # (n, 3)
    K = gram(rbf, X)
    alpha = krr_fit(K, Y, 0.3)
    assert alpha.shape == (15, 3)
    sk = KernelRidge(alpha=0.3, kernel="precomputed").fit(K, Y)
    np.testing.assert_allclose(alpha, sk.dual_coef_, rtol=1e-8)
    np.testing.assert_allclose(alpha[:, 1], krr_fit(K, y**2, 0.3), rtol=1e-12)
    assert krr_predict(gram(rbf, Xt, X), alpha).shape == (6, 3)


def test_krr_push_through_with_explicit_features():
    X, Xt, y = _krr_problem(14, n=20)
    lam = 0.7
    Phi, Phi_t = phi_poly2(X), phi_poly2(Xt)              # (n, 6), (m, 6)
    alpha = krr_fit(gram(poly2, X), y, lam)
    w = np.linalg.solve(Phi.T @ Phi + lam * np.eye(6), Phi.T @ y)   # primal ridge in feature space
    np.testing.assert_allclose(Phi.T @ alpha, w, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(krr_predict(gram(poly2, Xt, X), alpha), Phi_t @ w, rtol=1e-8, atol=1e-10)


def test_krr_interpolates_as_lambda_vanishes_and_validation():
    X, _, y = _krr_problem(15, n=8)
    K = gram(rbf, X)                                      # PD for distinct points
    np.testing.assert_allclose(K @ krr_fit(K, y, 0.0), y, rtol=1e-8, atol=1e-9)
    np.testing.assert_allclose(K @ krr_fit(K, y, 1e-10), y, atol=1e-6)
    with pytest.raises(ValueError, match="y"):
        krr_fit(K, y[:-1], 1.0)
    with pytest.raises(ValueError, match="lam"):
        krr_fit(K, y, -1.0)
    with pytest.raises(ValueError, match="nonsingular"):
        krr_fit(np.zeros((3, 3)), np.ones(3), 0.0)
    with pytest.raises(ValueError, match="alpha"):
        krr_predict(np.ones((4, 8)), np.ones(7))


# ---------------------------------------------------------------------------------------------
# ksvm.py
# ---------------------------------------------------------------------------------------------
def _svm_problem(seed, n=30, kernel=rbf):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    y = np.where(X[:, 0] + 0.6 * X[:, 1] ** 2 - 0.3 + 0.5 * rng.normal(size=n) > 0, 1.0, -1.0)
    return gram(kernel, X), y, X


def _dual(lam, Q):
    return lam.sum() - 0.5 * lam @ Q @ lam


def _oracle_box_qp(Q, C):
    res = minimize(lambda l: (-_dual(l, Q), Q @ l - 1.0), np.zeros(len(Q)), jac=True, method="L-BFGS-B",
                   bounds=[(0.0, C)] * len(Q), options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 100000,
                                                        "maxfun": 100000})
    return res.x


@pytest.mark.parametrize("kernel, C", [(rbf, 0.1), (rbf, 10.0), (poly2, 1.0), (linear, 100.0)])
def test_ksvm_dual_vs_lbfgsb_and_kkt(kernel, C):
    K, y, _ = _svm_problem(16, kernel=kernel)
    lam = ksvm_nobias_fit(K, y, C)
    assert lam.shape == (30,)
    assert np.all(lam >= 0.0) and np.all(lam <= C)        # box, exactly
    Q = np.outer(y, y) * K
    ours, oracle = _dual(lam, Q), _dual(_oracle_box_qp(Q, C), Q)
    assert ours >= oracle - 1e-7 * abs(oracle)
    assert ours == pytest.approx(oracle, rel=1e-7)
    # primal in the RKHS with α = λ ⊙ y: ½αᵀKα + C Σ hinge; zero duality gap
    alpha = lam * y
    f = K @ alpha
    primal = 0.5 * alpha @ K @ alpha + C * np.maximum(0.0, 1.0 - y * f).sum()
    assert primal - ours <= 1e-6 * max(1.0, abs(ours))
    # KKT trichotomy (tol 1e-5)
    yf, tol = y * f, 1e-5
    free = (lam > tol * C) & (lam < C * (1 - tol))
    assert np.all(yf[lam <= tol * C] >= 1 - tol)
    assert np.all(np.abs(yf[free] - 1) <= tol)
    assert np.all(yf[lam >= C * (1 - tol)] <= 1 + tol)
    np.testing.assert_allclose(ksvm_nobias_decision(K, lam, y), f, rtol=1e-12, atol=1e-12)


def test_ksvm_no_equality_constraint():
    K, y, _ = _svm_problem(17)
    y[:22] = 1.0                                          # imbalanced labels: Σλy = 0 would bind
    C = 1.0
    lam = ksvm_nobias_fit(K, y, C)
    Q = np.outer(y, y) * K
    balance = {"type": "eq", "fun": lambda l: l @ y, "jac": lambda l: y}   # Σ λ_i y_i = 0
    eq = minimize(lambda l: -_dual(l, Q), np.zeros(30), jac=lambda l: Q @ l - 1.0, method="SLSQP",
                  bounds=[(0.0, C)] * 30, constraints=[balance], options={"ftol": 1e-14, "maxiter": 1000})
    assert abs(lam @ y) > 1e-3                            # the solution is not balanced
    assert _dual(lam, Q) > _dual(eq.x, Q) + 1e-6          # the constrained problem is worse


def test_ksvm_decision_and_validation():
    K, y, X = _svm_problem(18)
    lam = ksvm_nobias_fit(K, y, 2.0)
    Xt = np.random.default_rng(19).normal(size=(7, 2))
    K_test = gram(rbf, Xt, X)                             # (m, n) with m ≠ n
    dec = ksvm_nobias_decision(K_test, lam, y)
    assert dec.shape == (7,)
    np.testing.assert_allclose(dec, evaluate(lam * y, X, rbf, Xt), rtol=1e-12)
    assert np.array_equal(ksvm_nobias_fit(K, y, 2.0), lam)   # deterministic
    with pytest.raises(ValueError, match="y should contain only -1 and \\+1"):
        ksvm_nobias_fit(K, (y + 1) / 2, 1.0)
    with pytest.raises(ValueError, match="C"):
        ksvm_nobias_fit(K, y, 0.0)
    with pytest.raises(ValueError, match="lam"):
        ksvm_nobias_decision(K_test, lam[:-1], y)
    with pytest.raises(ValueError, match="y"):
        ksvm_nobias_fit(K, y[:-1], 1.0)


def test_ksvm_orthogonal_points_closed_form():
    K = np.diag([1.0, 4.0, 0.25])                         # orthogonal features: λ_i = min(1/K_ii, C)
    y = np.array([1.0, -1.0, 1.0])
    np.testing.assert_allclose(ksvm_nobias_fit(K, y, 2.0), [1.0, 0.25, 2.0], rtol=1e-12)


# ---------------------------------------------------------------------------------------------
# derivations.py (symbolic answers): against the numeric references on scalar points
# ---------------------------------------------------------------------------------------------
def test_derivations_match_numeric_kernels():
    pts = np.random.default_rng(20).normal(size=(6, 1))     # scalar points, as rows
    c, sigma = 0.8, 0.9
    P = (pts @ pts.T + c) ** 2                            # (xz + c)²
    R = np.exp(-((pts - pts.T) ** 2) / (2 * sigma**2))   # σ-form RBF
    norm = sp.lambdify((sym.x, sym.z, sym.c), sym.normalized_poly_kernel())
    rbf_d2 = sp.lambdify((sym.x, sym.z, sym.sigma), sym.rbf_dist2())
    poly_d2 = sp.lambdify((sym.x, sym.z, sym.c), sym.poly_dist2())
    xs, zs = pts, pts.T
    np.testing.assert_allclose(norm(xs, zs, c), normalize_kernel(P), rtol=1e-12)
    np.testing.assert_allclose(rbf_d2(xs, zs, sigma), kernel_dist2(R), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(poly_d2(xs, zs, c), kernel_dist2(P), rtol=1e-10, atol=1e-12)


def test_derivations_closed_forms():
    assert sp.simplify(sym.normalized_poly_kernel()
                       - (sym.x * sym.z + sym.c) ** 2 / ((sym.x**2 + sym.c) * (sym.z**2 + sym.c))) == 0
    assert sp.simplify(sym.normalized_poly_kernel().subs(sym.z, sym.x)) == 1        # unit diagonal (ex 4.6)
    assert sp.simplify(sym.poly_dist2() - (sym.x - sym.z) ** 2 * ((sym.x + sym.z) ** 2 + 2 * sym.c)) == 0
    # erratum 5: for the (normalized) RBF kernel the squared distance is 2(1 − k)
    k = sp.exp(-(sym.x - sym.z) ** 2 / (2 * sym.sigma**2))
    assert sp.simplify(sym.rbf_dist2() - 2 * (1 - k)) == 0
