"""geodl_ref.ch13's numpy and sympy modules against independent oracles: scipy.stats.entropy and
scipy.spatial.distance.jensenshannon for the f-divergences (and a numeric sup for the conjugates),
scipy.stats.wasserstein_distance and POT (ot.emd2, ot.gaussian.bures_wasserstein_distance) for
Wasserstein distances, POT's ot.sinkhorn for the entropic plan, and numerical integration and
sympy's solve for the symbolic closed forms."""
from __future__ import annotations

import math

import numpy as np
import pytest

from geodl_ref.ch13 import derivations, fdiv, sinkhorn, wass

NAMES = fdiv.NAMES


def _simplex(r: np.random.Generator, n: int) -> np.ndarray:
    p = r.gamma(1.0, size=n) + 0.05
    return p / p.sum()


def _spd(r: np.random.Generator, d: int) -> np.ndarray:
    B = r.normal(size=(d, d))
    return B @ B.T / d + 0.1 * np.eye(d)


# ----------------------------------------------------------------------------- f-divergences
def test_kl_and_reverse_kl_match_scipy_entropy():
    from scipy.stats import entropy

    r = np.random.default_rng(0)
    for n in (2, 5, 9):
        P, Q = _simplex(r, n), _simplex(r, n)
        P[0] = 0.0
        P /= P.sum()
        assert fdiv.f_div(P, Q, "kl") == pytest.approx(entropy(P, Q), rel=1e-12)
        assert fdiv.f_div(Q, P, "reverse_kl") == pytest.approx(entropy(P, Q), rel=1e-12)
        assert fdiv.f_div(P, Q, "reverse_kl") == math.inf            # KL(Q ‖ P) with P_0 = 0 < Q_0


def test_js_generator_gives_twice_jensen_shannon():
    from scipy.spatial.distance import jensenshannon

    r = np.random.default_rng(1)
    for _ in range(20):
        P, Q = _simplex(r, 6), _simplex(r, 6)
        P[1], Q[4] = 0.0, 0.0
        P, Q = P / P.sum(), Q / Q.sum()
        want = jensenshannon(P, Q) ** 2
        assert fdiv.js(P, Q) == pytest.approx(want, rel=1e-12)
        assert fdiv.f_div(P, Q, "js") == pytest.approx(2 * want, rel=1e-12)   # errata 14
        assert fdiv.f_div(P, Q, "gan") == pytest.approx(2 * want - math.log(4), rel=1e-12, abs=1e-14)
    A, B = np.array([0.5, 0.5, 0.0]), np.array([0.0, 0.0, 1.0])
    assert fdiv.js(A, B) == pytest.approx(math.log(2), rel=1e-15)
    assert fdiv.f_div(A, B, "js") == pytest.approx(2 * math.log(2), rel=1e-15)


def test_hellinger_and_pearson_closed_forms():
    r = np.random.default_rng(2)
    P, Q = _simplex(r, 7), _simplex(r, 7)
    assert fdiv.f_div(P, Q, "hellinger") == pytest.approx(np.sum((np.sqrt(P) - np.sqrt(Q)) ** 2), rel=1e-12)
    assert fdiv.f_div(P, Q, "pearson") == pytest.approx(np.sum((P - Q) ** 2 / Q), rel=1e-12)
    Q0 = Q.copy()
    Q0[2] = 0.0
    Q0 /= Q0.sum()
    assert fdiv.f_div(P, Q0, "hellinger") == pytest.approx(np.sum((np.sqrt(P) - np.sqrt(Q0)) ** 2), rel=1e-12)
    assert fdiv.f_div(P, Q0, "pearson") == math.inf
    assert fdiv.f_div(P, Q0, "kl") == math.inf


@pytest.mark.parametrize("name", NAMES)
def test_divergence_vanishes_only_at_equality(name):
    r = np.random.default_rng(3)
    P, Q = _simplex(r, 5), _simplex(r, 5)
    floor = -math.log(4) if name == "gan" else 0.0
    assert fdiv.f_div(P, P, name) == pytest.approx(floor, abs=1e-14)
    assert fdiv.f_div(P, Q, name) > floor


_T_RANGE = {"kl": (-3.0, 3.0), "reverse_kl": (-5.0, -0.1), "pearson": (-1.9, 6.0), "hellinger": (-3.0, 0.8),
            "js": (-4.0, 0.6), "gan": (-4.0, -0.05)}


@pytest.mark.parametrize("name", NAMES)
def test_conjugate_is_the_numeric_sup(name):
    from scipy.optimize import minimize_scalar

    f, f_conj, f_prime = fdiv.f_generator(name)
    assert f(np.array([1.0]))[0] == pytest.approx(-math.log(4) if name == "gan" else 0.0, abs=1e-15)
    for t in np.linspace(*_T_RANGE[name], 11):
        res = minimize_scalar(lambda s, t=t: -(t * math.exp(s) - float(f(math.exp(s)))), bounds=(-12, 12),
                              method="bounded", options={"xatol": 1e-12})
        assert float(f_conj(t)) == pytest.approx(-res.fun, rel=1e-9, abs=1e-12)
    u = np.linspace(0.05, 8.0, 17)                                     # f′ vs central differences
    h = 1e-6
    assert np.allclose(f_prime(u), (f(u + h) - f(u - h)) / (2 * h), rtol=1e-6, atol=1e-8)


def test_conjugates_are_infinite_outside_their_domain():
    outside = {"reverse_kl": [0.0, 2.0], "hellinger": [1.0, 3.0], "js": [0.7, 2.0], "gan": [0.0, 1.0]}
    for name, t in outside.items():
        assert np.all(np.isposinf(fdiv.f_generator(name)[1](np.array(t)))), name


@pytest.mark.parametrize("name", NAMES)
def test_variational_bound_is_below_and_tight(name):
    r = np.random.default_rng(4)
    P, Q = _simplex(r, 6), _simplex(r, 6)
    D = fdiv.f_div(P, Q, name)
    T_star = fdiv.f_generator(name)[2](P / Q)
    assert fdiv.variational_bound(T_star, P, Q, name) == pytest.approx(D, rel=1e-12, abs=1e-14)
    lo, hi = _T_RANGE[name]
    for _ in range(300):
        T = r.uniform(lo, hi, size=6)
        assert fdiv.variational_bound(T, P, Q, name) <= D + 1e-12


def test_gan_bound_at_optimal_discriminator_is_the_gan_value():
    from scipy.spatial.distance import jensenshannon

    r = np.random.default_rng(5)
    P, Q = _simplex(r, 8), _simplex(r, 8)
    D_star = P / (P + Q)
    value = np.sum(P * np.log(D_star)) + np.sum(Q * np.log(1 - D_star))     # V(D*, G), eq 13.46
    assert fdiv.variational_bound(np.log(D_star), P, Q, "gan") == pytest.approx(value, rel=1e-12)
    assert value == pytest.approx(2 * jensenshannon(P, Q) ** 2 - math.log(4), rel=1e-12)


def test_fdiv_validation():
    with pytest.raises(ValueError, match="non-negative"):
        fdiv.f_div(np.array([1.5, -0.5]), np.array([0.5, 0.5]), "kl")
    with pytest.raises(ValueError, match="Q should have shape"):
        fdiv.js(np.array([0.5, 0.5]), np.array([0.2, 0.3, 0.5]))
    with pytest.raises(ValueError, match="name should be one of"):
        fdiv.f_generator("tv")
    with pytest.raises(ValueError, match="T should have shape"):
        fdiv.variational_bound(np.zeros(3), np.array([0.5, 0.5]), np.array([0.5, 0.5]), "kl")


# ----------------------------------------------------------------------------- Wasserstein
def test_w1_matches_scipy_and_w2_matches_emd2():
    from scipy.stats import wasserstein_distance

    ot = pytest.importorskip("ot")
    r = np.random.default_rng(6)
    for n, m in ((1, 4), (3, 7), (13, 5), (20, 31)):
        x, y = r.normal(size=n), 1.5 * r.standard_t(3, size=m)
        for wx, wy in ((None, None), (r.uniform(0.1, 2, n), r.uniform(0.1, 2, m))):
            assert wass.w_p_1d(x, y, 1, wx, wy) == pytest.approx(wasserstein_distance(x, y, wx, wy), rel=1e-12)
            a = np.full(n, 1 / n) if wx is None else wx / wx.sum()
            b = np.full(m, 1 / m) if wy is None else wy / wy.sum()
            for p in (1.5, 2.0, 3.0):
                want = ot.emd2(a, b, np.abs(x[:, None] - y[None, :]) ** p)
                assert wass.w_p_1d(x, y, p, wx, wy) ** p == pytest.approx(want, rel=1e-10)


def test_w_p_small_fixture_and_ties():
    from scipy.stats import wasserstein_distance

    assert wass.w_p_1d(np.array([0.0, 1.0, 3.0]), np.array([1.0, 2.0]), 2) ** 2 == pytest.approx(5 / 6, rel=1e-14)
    x, y = np.array([0.0, 0.0, 1.0, 1.0, 2.0]), np.array([1.0, 1.0, 0.5])
    wx, wy = np.array([1.0, 0.0, 2.0, 1.0, 0.5]), np.array([0.0, 1.0, 3.0])
    assert wass.w_p_1d(x, y, 1, wx, wy) == pytest.approx(wasserstein_distance(x, y, wx, wy), rel=1e-12)


def test_monge_map_is_the_monotone_matching():
    r = np.random.default_rng(7)
    xs, ys = r.normal(size=9), r.exponential(size=9)
    T = wass.monge_map_1d(xs, ys)
    assert np.array_equal(T(np.sort(xs)), np.sort(ys))
    # n = 3 m: every ys value is hit three times, and T is non-decreasing
    xs, ys = r.uniform(-2, 2, size=12), r.normal(size=4)
    T = wass.monge_map_1d(xs, ys)
    assert np.array_equal(np.sort(T(xs)), np.repeat(np.sort(ys), 3))
    grid = np.linspace(-3, 3, 401)
    assert np.all(np.diff(T(grid)) >= 0)
    assert T(np.array([-10.0]))[0] == ys.min() and T(np.array([10.0]))[0] == ys.max()
    # n ≠ m: the pushed sample has the same W_p to ys as the optimal 1-D coupling from the step quantiles
    xs, ys = r.normal(size=10), r.normal(size=4)
    T = wass.monge_map_1d(xs, ys)
    Fx = (np.argsort(np.argsort(xs)) + 1) / 10
    assert np.array_equal(T(xs), np.sort(ys)[np.ceil(Fx * 4 - 1e-12).astype(int) - 1])


def test_gaussian_w2_matches_pot_bures():
    ot = pytest.importorskip("ot")
    r = np.random.default_rng(8)
    for d in (1, 2, 3, 5):
        m1, m2, S1, S2 = r.normal(size=d), r.normal(size=d), _spd(r, d), _spd(r, d)
        want = ot.gaussian.bures_wasserstein_distance(m1, m2, S1, S2) ** 2
        assert wass.w2_gaussian_sq(m1, S1, m2, S2) == pytest.approx(float(want), rel=1e-12)
    assert wass.w2_gaussian_sq(np.array([0.0]), np.array([[1.0]]), np.array([3.0]), np.array([[4.0]])) == \
        pytest.approx(10.0, rel=1e-14)                               # (0 − 3)² + (1 − 2)²: W2², errata 13


def test_gaussian_ot_map_is_symmetric_and_pushes_forward():
    ot = pytest.importorskip("ot")
    r = np.random.default_rng(9)
    for d in (2, 3, 5):
        m1, m2, S1, S2 = r.normal(size=d), r.normal(size=d), _spd(r, d), _spd(r, d)
        A, b = wass.gaussian_ot_map(m1, S1, m2, S2)
        assert np.allclose(A @ S1 @ A, S2, rtol=0, atol=1e-12 * np.abs(S2).max())
        assert np.array_equal(A, A.T) and np.linalg.eigvalsh(A).min() > 0
        assert np.allclose(A @ m1 + b, m2, atol=1e-13)
        A_pot, b_pot = ot.gaussian.bures_wasserstein_mapping(m1, m2, S1, S2)
        assert np.allclose(A, A_pot, rtol=1e-10, atol=1e-12) and np.allclose(b, b_pot, rtol=1e-10, atol=1e-12)
    A, b = wass.gaussian_ot_map(np.zeros(3), 4 * np.eye(3), np.ones(3), 0.25 * np.eye(3))
    assert np.allclose(A, 0.25 * np.eye(3), rtol=1e-14) and np.allclose(b, np.ones(3))


def test_emd_discrete_matches_pot():
    ot = pytest.importorskip("ot")
    r = np.random.default_rng(10)
    for n, m in ((2, 3), (5, 8), (12, 7)):
        a, b = _simplex(r, n), _simplex(r, m)
        M = r.uniform(size=(n, m))
        P, cost = wass.emd_discrete(a, b, M)
        assert cost == pytest.approx(ot.emd2(a, b, M), rel=1e-12)
        assert np.allclose(P.sum(axis=1), a, atol=1e-12) and np.allclose(P.sum(axis=0), b, atol=1e-12)
        assert P.min() >= 0 and np.sum(P > 1e-12) <= n + m - 1
        assert cost == pytest.approx(float(np.sum(P * M)), rel=1e-14)


def test_wass_validation():
    with pytest.raises(ValueError, match="p should be >= 1"):
        wass.w_p_1d(np.zeros(2), np.zeros(3), 0.5)
    with pytest.raises(ValueError, match="wx should be non-negative"):
        wass.w_p_1d(np.zeros(2), np.zeros(3), 1, wx=np.array([1.0, -1.0]))
    with pytest.raises(ValueError, match="S1 should be symmetric"):
        wass.w2_gaussian_sq(np.zeros(2), np.array([[1.0, 0.5], [0.0, 1.0]]), np.zeros(2), np.eye(2))
    with pytest.raises(ValueError, match="positive definite"):
        wass.gaussian_ot_map(np.zeros(2), np.diag([1.0, 0.0]), np.zeros(2), np.eye(2))
    with pytest.raises(ValueError, match="same total mass"):
        wass.emd_discrete(np.array([0.5, 0.5]), np.array([0.5, 0.6]), np.zeros((2, 2)))


# ----------------------------------------------------------------------------- Sinkhorn
def _problem(r: np.random.Generator, n: int, m: int):
    a, b = _simplex(r, n), _simplex(r, m)
    xs, ys = r.normal(size=(n, 2)), r.normal(size=(m, 2)) + 0.5
    M = ((xs[:, None, :] - ys[None, :, :]) ** 2).sum(-1)
    return a, b, M / M.max()


@pytest.mark.parametrize("log_domain", [False, True])
def test_sinkhorn_matches_pot(log_domain):
    ot = pytest.importorskip("ot")
    r = np.random.default_rng(11)
    for n, m, reg in ((3, 5, 0.05), (9, 6, 0.3), (30, 40, 1.0)):
        a, b, M = _problem(r, n, m)
        P, u, v = sinkhorn.sinkhorn(a, b, M, reg, log_domain=log_domain)
        want = ot.sinkhorn(a, b, M, reg, numItermax=100000, stopThr=1e-14)
        assert np.allclose(P, want, rtol=0, atol=1e-10 * want.max())
        assert np.abs(P.sum(axis=1) - a).max() <= 1e-12 and np.abs(P.sum(axis=0) - b).max() <= 1e-12
        assert np.allclose(u[:, None] * np.exp(-M / reg) * v[None, :], P, rtol=1e-10)
        L = np.log(P) + M / reg                                      # the Gibbs certificate
        assert np.abs(L - L[:, :1] - L[:1, :] + L[0, 0]).max() <= 1e-12 * max(1.0, np.abs(L).max())


def test_sinkhorn_log_domain_at_tiny_reg_and_limits():
    ot = pytest.importorskip("ot")
    r = np.random.default_rng(1301)                                  # a problem that converges at reg = 1e-3
    a, b, M = _problem(r, 6, 9)
    P, _, _ = sinkhorn.sinkhorn(a, b, M + 1.0, 1e-3, log_domain=True)
    assert not np.isnan(P).any()
    assert np.abs(P.sum(axis=1) - a).max() <= 1e-8 and np.abs(P.sum(axis=0) - b).max() <= 1e-8
    exact = ot.emd2(a, b, M)
    costs = [sinkhorn.sinkhorn_cost(sinkhorn.sinkhorn(a, b, M, reg, log_domain=True)[0], M)
             for reg in (1.0, 0.1, 0.01, 1e-3)]
    assert np.all(np.diff(costs) < 0) and 0 <= costs[-1] - exact <= 1e-3 * np.log(54)
    P_inf, _, _ = sinkhorn.sinkhorn(a, b, M, 1e6)
    assert np.allclose(P_inf, np.outer(a, b), rtol=1e-5)
    with np.errstate(all="ignore"):                                  # the scaling domain breaks down there
        P_bad, _, _ = sinkhorn.sinkhorn(a, b, M + 1.0, 1e-3)
    assert np.isnan(P_bad).any()


def test_sinkhorn_validation():
    a, b, M = np.array([0.5, 0.5]), np.array([0.2, 0.8]), np.zeros((2, 2))
    with pytest.raises(ValueError, match="reg should be > 0"):
        sinkhorn.sinkhorn(a, b, M, 0.0)
    with pytest.raises(ValueError, match="M should have shape"):
        sinkhorn.sinkhorn(a, b, np.zeros((2, 3)), 1.0)
    with pytest.raises(ValueError, match="positive entries"):
        sinkhorn.sinkhorn(np.array([1.0, 0.0]), b, M, 1.0)
    with pytest.raises(ValueError, match="M should have shape"):
        sinkhorn.sinkhorn_cost(np.zeros((2, 3)), np.zeros((3, 2)))


# ----------------------------------------------------------------------------- symbolic closed forms
def test_gaussian_kl_term_matches_numerical_integration():
    from scipy.integrate import quad
    from scipy.stats import norm

    expression = derivations.gaussian_kl_term()
    for mu, sigma in ((0.0, 1.0), (0.7, 0.4), (-1.3, 2.5)):
        want = quad(lambda z, mu=mu, sigma=sigma: norm.pdf(z, mu, sigma) * (norm.logpdf(z, mu, sigma) - norm.logpdf(z)),
                    mu - 12 * sigma, mu + 12 * sigma, epsabs=1e-13, epsrel=1e-12)[0]
        got = float(expression.subs({derivations.mu: mu, derivations.sigma: sigma}))
        assert got == pytest.approx(want, rel=1e-9, abs=1e-12)


def test_optimal_discriminator_solves_the_first_order_condition():
    import sympy as sp

    p, q = derivations.p, derivations.q
    D = sp.Symbol("D", positive=True)
    (root,) = sp.solve(sp.diff(p * sp.log(D) + q * sp.log(1 - D), D), D)
    assert sp.simplify(derivations.optimal_discriminator() - root) == 0


def test_w2_sq_gaussian_1d_matches_quantile_integral_and_the_numeric_module():
    from scipy.integrate import quad
    from scipy.stats import norm

    expression = derivations.w2_sq_gaussian_1d()
    for a, b, s, t in ((0.0, 3.0, 1.0, 2.0), (0.4, -1.1, 0.3, 1.7)):
        got = float(expression.subs({derivations.m1: a, derivations.m2: b, derivations.s1: s, derivations.s2: t}))
        want = quad(lambda u, gap=a - b, spread=s - t: (gap + spread * norm.ppf(u)) ** 2, 0, 1,
                    epsabs=1e-13, epsrel=1e-12)[0]
        assert got == pytest.approx(want, rel=1e-8)
        assert got == pytest.approx(wass.w2_gaussian_sq(np.array([a]), np.array([[s * s]]), np.array([b]),
                                                        np.array([[t * t]])), rel=1e-12)
