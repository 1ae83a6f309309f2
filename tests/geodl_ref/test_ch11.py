"""geodl_ref.ch11's numpy and symbolic references (pl, ntk_linear, derivations) against independent
oracles: closed forms of gradient descent on quadratics, eigenvalues for the PL constant of a
quadratic, scipy's expm for the linear NTK flow, numpy's lstsq for its limit, central differences
for ex 11.3, and sympy differentiation for the derivations. The torch exercises of the chapter
(ntk, ntk_inf) are tested in test_ch11_torch.py."""
from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.linalg import expm

from geodl_ref.ch11 import derivations as sym
from geodl_ref.ch11.ntk_linear import gradient_flow_lsq, linear_ntk, lyapunov_V, predicted_error, vdot
from geodl_ref.ch11.pl import example_f, example_grad, gd, is_convex_on_grid, pl_constant_estimate

SETTINGS = settings(derandomize=True, database=None, deadline=None, max_examples=25)
L, MU = 8.0, 1.0 / 32.0                                   # max|f″| and Karimi et al.'s PL constant


# ---- pl: gradient descent and the PL constant ------------------------------------------------------

def test_example_function_and_gradient_agree_with_central_differences():
    for x in np.linspace(-5, 5, 23):
        h = 1e-6
        fd = (example_f(np.array([x + h])) - example_f(np.array([x - h]))) / (2 * h)
        assert example_grad(np.array([x]))[0] == pytest.approx(fd, rel=1e-6, abs=1e-8)
    assert example_f(np.array([0.0])) == 0.0


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), d=st.integers(1, 6), iters=st.integers(0, 30), frac=st.floats(0.05, 1.95))
def test_gd_on_a_quadratic_is_the_matrix_power_closed_form(seed, d, iters, frac):
    g = np.random.default_rng(seed)
    M = g.normal(size=(d, d))
    A, b, x0 = M @ M.T + 0.3 * np.eye(d), g.normal(size=d), g.normal(size=d)
    step = frac / np.linalg.eigvalsh(A)[-1]
    xstar = np.linalg.solve(A, b)
    want = np.array([xstar + np.linalg.matrix_power(np.eye(d) - step * A, k) @ (x0 - xstar) for k in range(iters + 1)])
    got = gd(lambda x: A @ x - b, x0, step, iters)
    assert got.shape == (iters + 1, d)
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)


def test_theorem_11_1_rate_holds_on_the_book_example():
    """f(x_k) − f* ≤ (1 − μ/L)^k (f(x0) − f*) with μ = 1/32, L = 8, step 1/L, k ≤ 100, 20 starts."""
    k = np.arange(101)
    for s in np.linspace(-10, 10, 20):
        xs = gd(example_grad, np.array([s]), 1 / L, 100)
        gaps = np.array([example_f(x) for x in xs])
        assert np.all(gaps <= (1 - MU / L) ** k * example_f(np.array([s])) * (1 + 1e-12))
        assert abs(xs[-1, 0]) <= 1e-8                          # the only stationary point is 0


def test_a_step_of_one_over_mu_breaks_the_rate():
    xs = gd(example_grad, np.array([3.0]), 1 / MU, 20)
    gaps = np.array([example_f(x) for x in xs])
    assert np.any(gaps > (1 - MU / L) ** np.arange(21) * example_f(np.array([3.0])))


def test_empirical_pl_constant_of_the_book_example():
    grid = np.linspace(-10.0, 10.0, 20001)
    grid[10000] = 0.0                                          # x* itself: 0/0, skipped
    mu = pl_constant_estimate(example_f, example_grad, grid[:, None], 0.0)
    assert 0.17 <= mu <= 0.18
    assert mu == pytest.approx(0.1755, abs=1e-3)               # CURRICULUM §16: proto 0.1755
    assert mu >= MU                                            # the worst-case bound of Karimi et al.
    # the same by brute force, vectorized, over the points away from the minimizer
    x = grid[grid != 0.0]
    assert mu == pytest.approx(float(np.min(0.5 * (2 * x + 3 * np.sin(2 * x)) ** 2 / (x**2 + 3 * np.sin(x) ** 2))),
                               rel=1e-12)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), d=st.integers(2, 5), f_star=st.floats(-5, 5))
def test_pl_constant_of_a_quadratic_is_its_smallest_eigenvalue(seed, d, f_star):
    g = np.random.default_rng(seed)
    M, c = g.normal(size=(d, d)), g.normal(size=d)
    A = M @ M.T + 0.1 * np.eye(d)
    lam, Q = np.linalg.eigh(A)
    pts = np.vstack([c + g.normal(size=(8, d)), c, c + 2.0 * Q[:, 0]])

    def f(x):
        return float(0.5 * (x - c) @ A @ (x - c)) + f_star

    mu = pl_constant_estimate(f, lambda x: A @ (x - c), pts, f_star)
    assert mu == pytest.approx(lam[0], rel=1e-9)


def test_pl_constant_skips_points_within_tiny_and_is_inf_when_none_remain():
    f, grad = (lambda x: float(np.sum(x**2 + x**4))), (lambda x: 2 * x + 4 * x**3)
    grid = np.linspace(-1, 1, 401)[:, None]
    for tiny in (1e-12, 0.05, 0.3):
        x = grid[:, 0]
        keep = x**2 + x**4 > tiny
        want = np.min(0.5 * (2 * x[keep] + 4 * x[keep] ** 3) ** 2 / (x[keep] ** 2 + x[keep] ** 4))
        assert pl_constant_estimate(f, grad, grid, 0.0, tiny=tiny) == pytest.approx(want, rel=1e-12)
    assert pl_constant_estimate(f, grad, np.zeros((3, 1)), 0.0) == math.inf
    assert not math.isnan(pl_constant_estimate(f, grad, np.zeros((1, 1)), 0.0))


def test_lemma_11_1_f_is_not_convex_but_g_is():
    x = np.sort(np.r_[np.linspace(-10, 10, 2001), np.pi * np.arange(-3, 4)])
    fpp = 2 + 6 * np.cos(2 * x)
    # f″ by central differences of f′ agrees with the closed form
    h = 1e-5
    fd = (example_grad(x + h) - example_grad(x - h)) / (2 * h)
    np.testing.assert_allclose(fd, fpp, atol=1e-6)
    assert fpp.min() == pytest.approx(-4, abs=1e-4) and fpp.max() == pytest.approx(L)
    assert is_convex_on_grid(fpp) is False
    assert is_convex_on_grid(L - fpp) is True
    assert is_convex_on_grid(6.0 - fpp) is False
    assert is_convex_on_grid(np.array([1.0, -1e-15, 0.0])) is True
    assert is_convex_on_grid(np.array([1.0, -1e-6, 0.0])) is False
    assert is_convex_on_grid(np.array([1.0, -1e-6]), tol=1e-5) is True


def test_pl_validation_errors():
    with pytest.raises(ValueError, match="x0 should be a 1-d array"):
        gd(example_grad, np.zeros((1, 1)), 0.1, 3)
    with pytest.raises(ValueError, match="step should be > 0"):
        gd(example_grad, np.zeros(1), 0.0, 3)
    with pytest.raises(ValueError, match="iters should be >= 0"):
        gd(example_grad, np.zeros(1), 0.1, -1)
    with pytest.raises(TypeError, match="iters should be an integer"):
        gd(example_grad, np.zeros(1), 0.1, 2.5)
    with pytest.raises(ValueError, match="xs should be a 2-d array"):
        pl_constant_estimate(example_f, example_grad, np.zeros(4), 0.0)
    with pytest.raises(ValueError, match="tiny should be >= 0"):
        pl_constant_estimate(example_f, example_grad, np.zeros((4, 1)), 0.0, tiny=-1.0)
    with pytest.raises(ValueError, match="fpp_values should be a 1-d array"):
        is_convex_on_grid(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="fpp_values should be finite"):
        is_convex_on_grid(np.array([1.0, np.nan]))


# ---- ntk_linear: the kernel, the flow, expm ----------------------------------------------------------

def _problem(N, p, seed, lam_max=10.0):
    g = np.random.default_rng(seed)
    X = g.normal(size=(N, p))
    X *= math.sqrt(lam_max / np.linalg.eigvalsh(X @ X.T)[-1])
    return X, g.normal(size=N), g.normal(size=p)


def test_linear_ntk_is_the_gram_matrix_of_the_parameter_gradients():
    X = np.random.default_rng(0).normal(size=(4, 7))
    K = linear_ntk(X)
    assert K.shape == (4, 4)
    # ∂f(x_i)/∂θ = x_i for f(x) = xᵀθ, so K_ij = ⟨x_i, x_j⟩, by explicit loops
    want = np.array([[sum(X[i, k] * X[j, k] for k in range(7)) for j in range(4)] for i in range(4)])
    np.testing.assert_allclose(K, want, rtol=1e-12)
    assert np.all(np.linalg.eigvalsh(K) > 0)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), N=st.integers(1, 7), p=st.integers(1, 7), T=st.integers(0, 25),
       frac=st.floats(0.05, 1.95))
def test_gradient_flow_is_euler_on_the_residual_ode(seed, N, p, T, frac):
    X, y, theta0 = _problem(N, p, seed)
    dt = frac / 10.0
    thetas, errors = gradient_flow_lsq(X, y, theta0, dt, T)
    assert thetas.shape == (T + 1, p) and errors.shape == (T + 1, N)
    # e_k = (I − dt·K)^k e_0: Euler on ė = −Ke (11.21), and V never increases for dt < 2/λ_max
    B = np.eye(N) - dt * X @ X.T
    want = np.array([np.linalg.matrix_power(B, k) @ (X @ theta0 - y) for k in range(T + 1)])
    np.testing.assert_allclose(errors, want, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(errors, thetas @ X.T - y, rtol=1e-12, atol=1e-12)
    V = np.array([lyapunov_V(e) for e in errors])
    assert np.all(V[1:] <= V[:-1] * (1 + 1e-12))


@pytest.mark.parametrize(("N", "p", "seed"), [(5, 8, 5), (8, 3, 6)])
def test_euler_residuals_follow_scipy_expm(N, p, seed):
    X, y, theta0 = _problem(N, p, seed)
    dt, T = 2e-4, 5000
    _, errors = gradient_flow_lsq(X, y, theta0, dt, T)
    K, e0 = X @ X.T, X @ theta0 - y
    for k in range(0, T + 1, 500):
        want = expm(-K * k * dt) @ e0
        np.testing.assert_allclose(errors[k], want, rtol=0, atol=1e-3 * np.abs(e0).max())
        np.testing.assert_allclose(predicted_error(e0, K, k * dt), want, rtol=1e-10, atol=1e-14)


def test_dV_dt_is_minus_eKe():
    X, y, theta0 = _problem(6, 4, 11, lam_max=5.0)
    dt = 1e-4
    _, errors = gradient_flow_lsq(X, y, theta0, dt, 40)
    V = np.array([lyapunov_V(e) for e in errors])
    want = -np.einsum("ki,ij,kj->k", errors[:-1], X @ X.T, errors[:-1])
    np.testing.assert_allclose(np.diff(V) / dt, want, rtol=1e-3)


@pytest.mark.parametrize(("N", "p", "seed"), [(4, 7, 0), (3, 5, 2), (9, 4, 0), (8, 3, 1)])
def test_flow_interpolates_when_N_le_p_and_plateaus_otherwise(N, p, seed):
    g = np.random.default_rng(seed)
    X, y, theta0 = g.normal(size=(N, p)), g.normal(size=N), g.normal(size=p)
    lam = np.linalg.eigvalsh(X @ X.T)
    T = int(math.ceil(lam[-1] / lam[lam > 1e-9 * lam[-1]][0] * math.log(1e10)))
    thetas, errors = gradient_flow_lsq(X, y, theta0, 1 / lam[-1], T)
    theta_ls = np.linalg.lstsq(X, y, rcond=None)[0]
    scale = np.linalg.norm(X @ theta0 - y)
    if N <= p:
        assert np.linalg.norm(errors[-1]) <= 1e-6 * scale
    else:
        np.testing.assert_allclose(errors[-1], X @ theta_ls - y, atol=1e-6 * scale)
        np.testing.assert_allclose(thetas[-1], theta_ls, rtol=1e-6)
        # the exact flow's limit is the same least-squares residual
        np.testing.assert_allclose(predicted_error(X @ theta0 - y, X @ X.T, 1e4), X @ theta_ls - y, atol=1e-9 * scale)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), N=st.integers(1, 7), p=st.integers(1, 7), t=st.floats(0, 2))
def test_predicted_error_matches_scipy_expm(seed, N, p, t):
    X, _, _ = _problem(N, p, seed)
    e0 = np.random.default_rng(seed + 1).normal(size=N)
    K = X @ X.T
    np.testing.assert_allclose(predicted_error(e0, K, t), expm(-K * t) @ e0, rtol=1e-10, atol=1e-14)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), a=st.floats(-2, 2))
def test_vdot_is_the_derivative_of_V_along_the_flow(seed, a):
    g = np.random.default_rng(seed)
    x, y = g.uniform(-2, 2, size=9), g.uniform(-2, 2, size=9)
    h = 1e-6

    def V(u, v):
        return u**2 + 2 * v**2

    fx, fy = a * y**2 - x, -y - a * x**2
    want = (V(x + h * fx, y + h * fy) - V(x - h * fx, y - h * fy)) / (2 * h)
    np.testing.assert_allclose(vdot(x, y, a), want, rtol=1e-6)
    assert isinstance(vdot(0.3, -0.2, a), float)


def test_ntk_linear_validation_errors():
    X = np.ones((3, 2))
    with pytest.raises(ValueError, match="X should be a 2-d array"):
        linear_ntk(np.ones(3))
    with pytest.raises(ValueError, match="dimension mismatch"):
        gradient_flow_lsq(X, np.ones(4), np.ones(2), 0.1, 3)
    with pytest.raises(ValueError, match="dimension mismatch"):
        gradient_flow_lsq(X, np.ones(3), np.ones(3), 0.1, 3)
    with pytest.raises(ValueError, match="dt should be > 0"):
        gradient_flow_lsq(X, np.ones(3), np.ones(2), 0.0, 3)
    with pytest.raises(TypeError, match="T should be an integer"):
        gradient_flow_lsq(X, np.ones(3), np.ones(2), 0.1, 3.0)
    with pytest.raises(ValueError, match="e should be a 1-d array"):
        lyapunov_V(np.ones((2, 2)))
    with pytest.raises(ValueError, match="K should have shape"):
        predicted_error(np.ones(3), np.eye(2), 1.0)
    with pytest.raises(ValueError, match="K should be symmetric"):
        predicted_error(np.ones(2), np.array([[1.0, 2.0], [0.0, 1.0]]), 1.0)
    with pytest.raises(ValueError, match="t should be >= 0"):
        predicted_error(np.ones(2), np.eye(2), -1.0)
    with pytest.raises(ValueError, match="y should have shape"):
        vdot(np.ones(3), np.ones(2), 1.0)


# ---- derivations: against sympy differentiation ---------------------------------------------------

def test_pl_second_derivative_is_sympys():
    f = sym.x**2 + 3 * sp.sin(sym.x) ** 2
    assert sp.simplify(sym.pl_second_derivative() - sp.diff(f, sym.x, 2)) == 0
    values = [float(sym.pl_second_derivative().subs(sym.x, v)) for v in np.linspace(-4, 4, 801)]
    assert min(values) == pytest.approx(-4, abs=1e-3) and max(values) == pytest.approx(L)


def test_lyapunov_derivative_is_the_chain_rule_and_matches_vdot():
    V = sym.x**2 + 2 * sym.y**2
    chain = sp.diff(V, sym.x) * (sym.a * sym.y**2 - sym.x) + sp.diff(V, sym.y) * (-sym.y - sym.a * sym.x**2)
    assert sp.expand(sym.lyapunov_derivative() - chain) == 0
    f = sp.lambdify((sym.x, sym.y, sym.a), sym.lyapunov_derivative())
    g = np.random.default_rng(3)
    x, y = g.normal(size=6), g.normal(size=6)
    np.testing.assert_allclose(f(x, y, 0.7), vdot(x, y, 0.7), rtol=1e-12)


def test_ntk_lyapunov_rate_is_minus_eKe():
    rate = sym.ntk_lyapunov_rate()
    assert rate.shape == (1, 1) and sym.X.shape == (5, 3) and sym.e.shape == (5, 1)
    g = np.random.default_rng(4)
    X, e = g.normal(size=(5, 3)), g.normal(size=(5, 1))
    value = sp.Matrix(rate.subs({sym.X: sp.Matrix(X), sym.e: sp.Matrix(e)}).doit())
    assert float(value[0, 0]) == pytest.approx(float((-e.T @ linear_ntk(X) @ e)[0, 0]), rel=1e-12)
    assert float(value[0, 0]) <= 0
