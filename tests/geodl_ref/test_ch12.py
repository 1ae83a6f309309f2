"""geodl_ref.ch12 against independent oracles: torch.distributions for the KL, scipy and
brute-force enumeration for Sauer's lemma, a Monte-Carlo run for the finite-class bound; sweeps over
each hypothesis class for the realized labelings, Sauer's and Cover's counts; explicit loops over
sign vectors for the Rademacher complexity; numpy's and scikit-learn's least squares and long Monte
Carlo runs for double descent; the numeric references for the symbolic formulas."""
from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from geodl_ref.ch12 import bounds, dd, derivations, rademacher, vc


def test_kl_diag_gauss_matches_torch_distributions():
    torch = pytest.importorskip("torch")
    from torch.distributions import Independent, Normal, kl_divergence

    rng = np.random.default_rng(0)
    for d in (1, 3, 7):
        mq, mp = rng.normal(size=d), rng.normal(size=d)
        vq, vp = np.exp(rng.normal(size=d)), np.exp(rng.normal(size=d))
        q = Independent(Normal(torch.from_numpy(mq), torch.from_numpy(np.sqrt(vq))), 1)
        p = Independent(Normal(torch.from_numpy(mp), torch.from_numpy(np.sqrt(vp))), 1)
        want = kl_divergence(q, p).item()  # KL(q ‖ p)
        assert bounds.kl_diag_gauss(mq, vq, mp, vp) == pytest.approx(want, rel=1e-12)
        assert bounds.kl_diag_gauss(mq, vq, mp, vp) != pytest.approx(kl_divergence(p, q).item(), rel=1e-3)


def test_kl_of_a_distribution_with_itself_is_zero():
    m, v = np.array([0.3, -1.0]), np.array([0.5, 2.0])
    assert bounds.kl_diag_gauss(m, v, m, v) == 0.0


@pytest.mark.parametrize("n", range(0, 13))
@pytest.mark.parametrize("d", range(0, 6))
def test_sauer_matches_scipy_and_enumeration(n, d):
    from scipy.special import comb

    want = int(sum(comb(n, i, exact=True) for i in range(d + 1)))
    subsets = sum(1 for k in range(n + 1) for _ in itertools.combinations(range(n), k) if k <= d)
    assert bounds.sauer(n, d) == want == subsets
    if n <= d:
        assert bounds.sauer(n, d) == 2**n
    elif d >= 1:
        assert bounds.sauer(n, d) <= (math.e * n / d) ** d


def test_threshold_growth_function_is_within_sauer_at_d_1():
    for n in range(1, 12):
        x = np.sort(np.random.default_rng(n).uniform(size=n))
        thetas = np.concatenate(([-1.0], x, [2.0]))
        labelings = {tuple(x <= t) for t in thetas}
        assert len(labelings) == n + 1 <= bounds.sauer(n, 1)


def test_hoeffding_finite_holds_in_monte_carlo():
    # 20 threshold classifiers x <= θ on x ~ U(0, 1) with label 1[x >= ½] flipped w.p. 0.2:
    # R(θ) = 0.2 + 0.6 |θ − ½| exactly. A violation is any classifier with R > bound.
    rng = np.random.default_rng(7)
    thetas = np.linspace(0.05, 0.95, 20)
    risk = 0.2 + 0.6 * np.abs(thetas - 0.5)
    N, delta, reps = 100, 0.1, 2000
    x = rng.uniform(size=(reps, N))
    y = (x >= 0.5) ^ (rng.uniform(size=(reps, N)) < 0.2)
    wrong = ((x[..., None] >= thetas) != y[..., None]).mean(axis=1)  # (reps, 20)
    bound = np.vectorize(lambda e: bounds.hoeffding_finite(e, 20, N, delta))(wrong)
    assert (risk > bound).any(axis=1).mean() <= delta
    # the book's root over the numerator only is violated most of the time
    literal = wrong + math.sqrt(math.log(20) + math.log(2 / delta)) / (2 * N)
    assert (risk > literal).any(axis=1).mean() > 0.5


@pytest.mark.parametrize(
    ("func", "args", "i", "grid", "sign"),
    [
        (bounds.hoeffding_finite, (0.1, 20, 500, 0.05), 2, (10, 100, 1000, 10**5), -1),
        (bounds.hoeffding_finite, (0.1, 20, 500, 0.05), 1, (1, 2, 50, 10**6), +1),
        (bounds.hoeffding_finite, (0.1, 20, 500, 0.05), 3, (1e-6, 0.01, 0.2, 0.9), -1),
        (bounds.vc_bound, (0.1, 5, 500, 0.05), 2, (5, 6, 100, 10**5), -1),
        (bounds.vc_bound, (0.1, 5, 500, 0.05), 1, (1, 2, 50, 500), +1),
        (bounds.vc_bound, (0.1, 5, 500, 0.05), 3, (1e-6, 0.01, 0.2, 0.9), -1),
        (bounds.pac_bayes, (0.1, 3.0, 500, 0.05), 2, (1, 2, 100, 10**5), -1),
        (bounds.pac_bayes, (0.1, 3.0, 500, 0.05), 1, (0.0, 0.1, 10.0, 1e3), +1),
        (bounds.pac_bayes, (0.1, 3.0, 500, 0.05), 3, (1e-6, 0.01, 0.2, 0.9), -1),
        (bounds.robustness_bound, (0.05, 1.0, 10, 500, 0.05), 3, (1, 2, 100, 10**5), -1),
        (bounds.robustness_bound, (0.05, 1.0, 10, 500, 0.05), 2, (1, 2, 100, 10**4), +1),
        (bounds.robustness_bound, (0.05, 1.0, 10, 500, 0.05), 4, (1e-6, 0.01, 0.2, 0.9), -1),
    ],
)
def test_bounds_are_monotone(func, args, i, grid, sign):
    values = [func(*args[:i], g, *args[i + 1 :]) for g in grid]
    assert all(sign * (b - a) > 0 for a, b in zip(values, values[1:]))


def test_closed_forms_against_hand_computation():
    assert bounds.hoeffding_finite(0.0, 1, 2, 0.5) == pytest.approx(math.sqrt(math.log(4) / 4), rel=1e-15)
    assert bounds.vc_bound(0.0, 1, 1, 0.5) == pytest.approx(math.sqrt(math.log(2) + 1 + math.log(8)), rel=1e-15)
    assert bounds.pac_bayes(0.0, 0.0, 4, 0.5) == pytest.approx(math.sqrt(math.log(8) / 8), rel=1e-15)
    assert bounds.robustness_bound(0.0, 2.0, 1, 2, 0.5) == pytest.approx(2 * math.sqrt(2 * math.log(2)), rel=1e-15)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: bounds.hoeffding_finite(0.1, 20, 0, 0.05), "N"),
        (lambda: bounds.hoeffding_finite(0.1, 0, 10, 0.05), "card_F"),
        (lambda: bounds.hoeffding_finite(1.5, 20, 10, 0.05), "emp"),
        (lambda: bounds.hoeffding_finite(0.1, 20, 10, 0.0), "delta"),
        (lambda: bounds.vc_bound(0.1, 11, 10, 0.05), "N"),
        (lambda: bounds.vc_bound(0.1, 0, 10, 0.05), "d_vc"),
        (lambda: bounds.sauer(-1, 2), "n"),
        (lambda: bounds.sauer(3, -2), "d"),
        (lambda: bounds.kl_diag_gauss([0.0], [1.0], [0.0], [-1.0]), "vp"),
        (lambda: bounds.kl_diag_gauss([0.0], [1.0], [0.0, 1.0], [1.0]), "mp"),
        (lambda: bounds.pac_bayes(0.1, -1.0, 10, 0.05), "kl"),
        (lambda: bounds.robustness_bound(0.1, 1.0, 0, 10, 0.05), "K"),
        (lambda: bounds.robustness_bound(0.1, 1.0, 3, 10, 1.0), "delta"),
    ],
)
def test_invalid_inputs_raise_naming_the_input(call, name):
    with pytest.raises(ValueError, match=rf"^{name} should"):
        call()


def test_non_integers_are_refused():
    with pytest.raises(TypeError, match="^N should be an integer"):
        bounds.hoeffding_finite(0.1, 20, 10.5, 0.05)


# ---------------------------------------------------------------------------------------------
# vc.py: labelings against sweeps over the hypotheses (an independent enumeration)
# ---------------------------------------------------------------------------------------------
def _prefixes(scores: np.ndarray) -> set[tuple[int, ...]]:
    """For each row of scores (one ordering of the points), the labelings "+1 on the k smallest"."""
    n = scores.shape[1]
    bits = 2 ** np.argsort(scores, axis=1, kind="stable")  # (K, n)   the points in order, as bits
    masks = np.unique(np.concatenate([np.zeros((len(scores), 1), dtype=int), np.cumsum(bits, axis=1)], axis=1))
    return {tuple(int(v) for v in np.where((mask >> np.arange(n)) & 1, 1, -1)) for mask in masks}


def _sweep(points: np.ndarray, hclass: str) -> set[tuple[int, ...]]:
    """The labelings the class realizes, by sweeping its parameters: thresholds and boxes over the
    midpoints of the coordinates, halfplanes over 20000 directions, disks over a fine grid of centres
    (from each centre the disks are the prefixes in distance order)."""
    n, d = points.shape
    if hclass == "threshold":
        cuts = np.concatenate(([points.min() - 1], np.sort(points[:, 0]) + 1e-9))
        return {tuple(np.where(points[:, 0] <= t, 1, -1)) for t in cuts}
    if hclass in ("interval", "axis_rectangle"):
        edges = [np.concatenate(([points[:, j].min() - 1], np.sort(points[:, j]), [points[:, j].max() + 1]))
                 for j in range(d)]
        found = {(-1,) * n}
        for lo in itertools.product(*edges):
            for hi in itertools.product(*edges):
                inside = np.all((points >= np.array(lo)) & (points <= np.array(hi)), axis=1)
                found.add(tuple(np.where(inside, 1, -1)))
        return found
    if hclass == "halfspace":
        angles = np.linspace(0, 2 * np.pi, 20000, endpoint=False)
        U = np.stack([np.cos(angles), np.sin(angles)], axis=1)  # (K, 2)
        return _prefixes(-(U @ points.T))  # +1 on the largest projections
    g = np.linspace(-8, 8, 321)
    centres = np.stack(np.meshgrid(g, g), axis=-1).reshape(-1, 2)  # (K, 2)
    far = 1e4 * np.stack([np.cos(np.linspace(0, 2 * np.pi, 4000)), np.sin(np.linspace(0, 2 * np.pi, 4000))], 1)
    centres = np.vstack([centres, far])
    dist = np.linalg.norm(centres[:, None, :] - points[None, :, :], axis=2)  # (K, n)
    return _prefixes(dist)


def _as_set(labelings: np.ndarray) -> set[tuple[int, ...]]:
    return {tuple(int(v) for v in y) for y in labelings}


@pytest.mark.parametrize("hclass", vc.HCLASSES)
@pytest.mark.parametrize("seed", range(4))
def test_dichotomies_match_a_sweep_over_the_class(hclass, seed):
    rng = np.random.default_rng(seed)
    d = 1 if hclass in ("threshold", "interval") else 2
    n = int(rng.integers(2, 6))
    points = np.round(rng.uniform(-3, 3, size=(n, d)), 2)
    got = vc.dichotomies(points, hclass)
    assert got.dtype == np.int64 and got.shape[1] == n and set(np.unique(got)) <= {-1, 1}
    assert len(_as_set(got)) == len(got)  # no repeats
    assert _as_set(got) == _sweep(points, hclass)
    assert vc.shatters(points, hclass) == (len(got) == 2**n)


def test_growth_counts_are_sauer_and_cover():
    rng = np.random.default_rng(3)
    for n in range(1, 8):
        x = rng.uniform(size=(n, 1))
        assert len(vc.dichotomies(x, "threshold")) == n + 1 == bounds.sauer(n, 1)
        assert len(vc.dichotomies(x, "interval")) == 1 + n + math.comb(n, 2) == bounds.sauer(n, 2)
    for n in range(3, 7):  # Cover: 2 Σ_{k ≤ d} C(n − 1, k) in general position, d = 2
        P = rng.normal(size=(n, 2))
        assert len(vc.dichotomies(P, "halfspace")) == 2 * sum(math.comb(n - 1, k) for k in range(3))


def test_the_books_shattering_examples_and_the_half_line_erratum():
    S = vc.shatters
    assert S([[0.3]], "threshold") and not S([[0.3], [1.2]], "threshold")  # VC 1, not 2 (erratum 10)
    assert S([[0.0], [1.0]], "interval") and not S([[0.0], [1.0], [2.0]], "interval")
    assert S([[0, 0], [2, 0], [0, 1]], "halfspace")
    assert not S([[0, 0], [1, 1], [1, 0], [0, 1]], "halfspace")  # XOR
    assert not S([[0, 0], [1, 1], [2, 2]], "halfspace")  # collinear
    diamond = [[1, 0], [0, 1], [-1, 0], [0, -1]]
    assert S(diamond, "axis_rectangle") and not S(diamond + [[0, 0]], "axis_rectangle")
    assert not S([[0, 0], [1, 0], [1, 1], [0, 1]], "axis_rectangle")
    assert S([[0, 0], [1, 0], [0, 1]], "disk") and S([[0, 0], [3, 0], [1, 0.2]], "disk")
    assert not S([[0, 0], [1, 0], [1, 1], [0, 1]], "disk")  # cocircular square
    rng = np.random.default_rng(0)
    for _ in range(10):  # any 5 points defeat rectangles, any 4 disks and halfplanes in the plane
        assert not S(rng.normal(size=(5, 2)), "axis_rectangle")
        assert not S(rng.normal(size=(4, 2)), "disk") and not S(rng.normal(size=(4, 2)), "halfspace")
    for d in (1, 2, 3):  # halfspaces in ℝᵈ shatter d + 1 generic points, never d + 2 (Radon)
        assert S(rng.normal(size=(d + 1, d)), "halfspace") and not S(rng.normal(size=(d + 2, d)), "halfspace")


@pytest.mark.parametrize("hclass", vc.HCLASSES)
def test_witnesses_are_shattered_and_of_vc_size(hclass):
    vc_dim = {"threshold": 1, "interval": 2, "halfspace": 3, "axis_rectangle": 4, "disk": 3}[hclass]
    points = vc.witness(hclass)
    assert points.shape == (vc_dim, 1 if hclass in ("threshold", "interval") else 2)
    assert vc.shatters(points, hclass) and _sweep(points, hclass) == set(itertools.product((-1, 1), repeat=vc_dim))


def test_sine_theta_realizes_every_labeling():
    for m in (1, 4, 9):
        x = 2.0 ** -np.arange(1, m + 1)
        for y in itertools.product((-1, 1), repeat=m):
            assert np.array_equal(np.sign(np.sin(vc.sine_theta(np.array(y)) * x)), y)
    y = np.random.default_rng(1).choice([-1, 1], size=30)
    assert np.array_equal(np.sign(np.sin(vc.sine_theta(y) * 2.0 ** -np.arange(1, 31))), y)


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda: vc.shatters(np.zeros((2, 2)), "threshold"), ValueError, "points"),
        (lambda: vc.shatters(np.zeros(3), "halfspace"), ValueError, "points"),
        (lambda: vc.shatters(np.zeros((17, 1)), "interval"), ValueError, "points"),
        (lambda: vc.dichotomies(np.zeros((2, 1)), "ball"), ValueError, "hclass"),
        (lambda: vc.witness("halfplane"), ValueError, "hclass"),
        (lambda: vc.sine_theta(np.array([1.0, 0.0])), ValueError, "labels"),
        (lambda: vc.sine_theta(np.ones(31)), ValueError, "labels"),
    ],
)
def test_vc_invalid_inputs_raise_naming_the_input(call, error, name):
    with pytest.raises(error, match=rf"^{name} should"):
        call()


# ---------------------------------------------------------------------------------------------
# rademacher.py: against explicit loops, its invariances and the two bounds
# ---------------------------------------------------------------------------------------------
def _rademacher_by_loops(H: np.ndarray) -> float:
    N = H.shape[1]
    total = 0.0
    for sigma in itertools.product((-1, 1), repeat=N):
        total += max(sum(s * v for s, v in zip(sigma, row)) for row in H) / N
    return total / 2**N


def test_exact_rademacher_matches_loops_and_its_invariances():
    rng = np.random.default_rng(4)
    for h, N in ((1, 5), (3, 7), (6, 4), (2, 10)):
        H = rng.normal(size=(h, N))
        exact = rademacher.empirical_rademacher(H)
        assert exact == pytest.approx(_rademacher_by_loops(H), rel=1e-12, abs=1e-15)
        for c in (-2.0, 0.5, 3.0):
            assert rademacher.empirical_rademacher(c * H) == pytest.approx(abs(c) * exact, rel=1e-12, abs=1e-15)
        hull = np.vstack([H, rng.dirichlet(np.ones(h), size=4) @ H])
        assert rademacher.empirical_rademacher(hull) == pytest.approx(exact, rel=1e-12, abs=1e-15)
        assert rademacher.massart_bound(H) >= exact - 1e-15
    assert rademacher.empirical_rademacher(rng.normal(size=(1, 9))) == pytest.approx(0.0, abs=1e-15)
    every = np.array(list(itertools.product((-1.0, 1.0), repeat=7)))
    assert rademacher.empirical_rademacher(every) == pytest.approx(1.0, rel=1e-14)


def test_monte_carlo_rademacher_is_within_4_se_and_reproducible():
    rng = np.random.default_rng(5)
    H = rng.uniform(-1, 1, size=(5, 11))
    S = np.array(list(itertools.product((-1.0, 1.0), repeat=11)))
    sups = np.max(S @ H.T / 11, axis=1)
    est = rademacher.empirical_rademacher(H, 4000, np.random.default_rng(9))
    assert abs(est - sups.mean()) <= 4 * sups.std() / np.sqrt(4000)
    assert est == rademacher.empirical_rademacher(H, 4000, np.random.default_rng(9))


def test_linear_class_sup_is_the_norm_and_below_the_bound():
    rng = np.random.default_rng(6)
    X, W = rng.normal(size=(10, 3)), 1.7
    S = np.array(list(itertools.product((-1.0, 1.0), repeat=10)))
    sups = W / 10 * np.linalg.norm(S @ X, axis=1)
    # the closed-form sup against a brute-force max over 20000 unit directions (a lower bound, close)
    u = rng.normal(size=(20000, 3))
    u /= np.linalg.norm(u, axis=1, keepdims=True)
    brute = np.max(S[:50] @ X @ u.T, axis=1) * W / 10
    assert np.all(brute <= sups[:50] + 1e-12) and np.allclose(brute, sups[:50], rtol=2e-3)
    est = rademacher.rad_linear_l2(X, W, 4000, np.random.default_rng(2))
    assert abs(est - sups.mean()) <= 4 * sups.std() / np.sqrt(4000)
    bound = rademacher.bound_linear_l2(X, W)
    assert bound == pytest.approx(W * np.max(np.linalg.norm(X, axis=1)) / np.sqrt(10), rel=1e-15)
    assert sups.mean() <= W * np.sqrt(np.sum(X**2)) / 10 <= bound  # Jensen, then max‖x‖


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda: rademacher.empirical_rademacher(np.ones((2, 15))), ValueError, "N"),
        (lambda: rademacher.empirical_rademacher(np.ones((2, 3)), 0, np.random.default_rng(0)), ValueError, "n_draws"),
        (lambda: rademacher.empirical_rademacher(np.ones((2, 3)), 10, 3), TypeError, "rng"),
        (lambda: rademacher.empirical_rademacher(np.ones(3)), ValueError, "H"),
        (lambda: rademacher.rad_linear_l2(np.ones((3, 2)), -1.0, 10, np.random.default_rng(0)), ValueError, "W"),
        (lambda: rademacher.bound_linear_l2(np.ones(3), 1.0), ValueError, "X"),
        (lambda: rademacher.massart_bound(np.ones((0, 3))), ValueError, "H"),
    ],
)
def test_rademacher_invalid_inputs_raise_naming_the_input(call, error, name):
    with pytest.raises(error, match=rf"^{name} should"):
        call()


# ---------------------------------------------------------------------------------------------
# dd.py: the fit against numpy's lstsq and scikit-learn, the closed form against Monte Carlo
# ---------------------------------------------------------------------------------------------
def test_min_norm_fit_is_lstsq_and_sklearns_min_norm_solution():
    from sklearn.linear_model import LinearRegression

    rng = np.random.default_rng(7)
    X, y = rng.normal(size=(12, 30)), rng.normal(size=12)
    for p in (0, 1, 5, 9, 20, 30):
        got = dd.min_norm_fit(X, y, p)
        assert got.shape == (30,) and np.all(got[p:] == 0)
        if p:
            want = LinearRegression(fit_intercept=False).fit(X[:, :p], y).coef_  # lstsq: the min-norm solution
            np.testing.assert_allclose(got[:p], want, rtol=1e-9, atol=1e-12)
            np.testing.assert_allclose(got[:p], np.linalg.lstsq(X[:, :p], y, rcond=None)[0], rtol=1e-10, atol=1e-12)
        if p > 12:  # interpolates, from the row space
            np.testing.assert_allclose(X[:, :p] @ got[:p], y, rtol=1e-10)
            a = np.linalg.solve(X[:, :p] @ X[:, :p].T, y)
            np.testing.assert_allclose(got[:p], X[:, :p].T @ a, rtol=1e-10)


def test_theory_risk_matches_a_long_monte_carlo_and_the_calibration_run():
    beta = np.random.default_rng(0).standard_normal(100)
    beta /= np.linalg.norm(beta)
    # the calibration run (CURRICULUM §16): 1.184 at p = 5, 0.8720 at p = 80, 0.667 at p = 100
    assert dd.dd_theory_risk(5, 40, beta, 1 / 25) == pytest.approx(1.184, abs=5e-4)
    assert dd.dd_theory_risk(80, 40, beta, 1 / 25) == pytest.approx(0.8720, abs=5e-5)
    assert dd.dd_theory_risk(100, 40, beta, 1 / 25) == pytest.approx(0.6 + 0.04 * 99 / 59, rel=1e-14)
    assert all(dd.dd_theory_risk(p, 40, beta, 1 / 25) == math.inf for p in (39, 40, 41))
    small = np.random.default_rng(1).normal(size=30) / 5
    for p in (4, 15, 26):
        mean, se = dd.dd_mc_risk(p, 12, small, 0.3, 3000, np.random.default_rng(p))
        want = dd.dd_theory_risk(p, 12, small, 0.3)
        assert abs(mean - want) <= 4 * se and abs(mean - want) <= 0.1 * want
    assert dd.dd_mc_risk(26, 12, small, 0.3, 50, np.random.default_rng(3)) == dd.dd_mc_risk(
        26, 12, small, 0.3, 50, np.random.default_rng(3))


def test_theory_risk_off_by_one_is_far_from_monte_carlo():
    small = np.random.default_rng(1).normal(size=30) / 5
    mean, se = dd.dd_mc_risk(8, 12, small, 0.3, 3000, np.random.default_rng(8))
    left_out = float(small[8:] @ small[8:])
    off_by_one = (left_out + 0.3) * (1 + 8 / (12 - 8))
    assert abs(mean - off_by_one) > 5 * se


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda: dd.dd_theory_risk(11, 5, np.ones(10), 0.1), ValueError, "p"),
        (lambda: dd.dd_theory_risk(3, 0, np.ones(10), 0.1), ValueError, "N"),
        (lambda: dd.dd_theory_risk(3, 5, np.ones(10), -0.1), ValueError, "sigma2"),
        (lambda: dd.min_norm_fit(np.ones((4, 6)), np.ones(5), 2), ValueError, "dimension mismatch"),
        (lambda: dd.dd_mc_risk(3, 5, np.ones(10), 0.1, 1, np.random.default_rng(0)), ValueError, "trials"),
        (lambda: dd.dd_mc_risk(3, 5, np.ones(10), 0.1, 10, 0), TypeError, "rng"),
    ],
)
def test_dd_invalid_inputs_raise_naming_the_input(call, error, name):
    with pytest.raises(error, match=rf"^{name}"):
        call()


# ---------------------------------------------------------------------------------------------
# derivations.py: the formulas equal the numeric references
# ---------------------------------------------------------------------------------------------
def test_derivations_equal_the_numeric_references():
    import sympy as sp

    s = derivations
    gap = sp.lambdify((s.N, s.delta, s.card_F), s.finite_class_gap())
    for N, delta, card in ((100, 0.05, 20), (7, 0.3, 1), (5000, 1e-4, 10**4)):
        assert gap(N, delta, card) == pytest.approx(bounds.hoeffding_finite(0.0, card, N, delta), rel=1e-12)
    H = np.random.default_rng(2).normal(size=(6, 9))
    massart = s.massart_rademacher().subs({s.r: float(np.linalg.norm(H, axis=1).max()), s.card_F: 6, s.N: 9})
    assert float(massart) == pytest.approx(rademacher.massart_bound(H), rel=1e-12)
    risk = sp.lambdify((s.b2, s.sigma2, s.p, s.N), s.dd_risk_classical())
    beta = np.random.default_rng(3).normal(size=50)
    for p, N in ((0, 10), (5, 20), (18, 20)):
        b2 = float(beta[p:] @ beta[p:])
        assert risk(b2, 0.2, p, N) == pytest.approx(dd.dd_theory_risk(p, N, beta, 0.2), rel=1e-12)
    # the book-literal root placement of eq 12.9 is a different function
    literal = sp.sqrt(sp.log(s.card_F) + sp.log(2 / s.delta)) / (2 * s.N)
    assert sp.simplify(literal - s.finite_class_gap()) != 0
