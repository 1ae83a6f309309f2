"""geodl_ref.ch12.bounds against independent oracles: torch.distributions for the KL, scipy and
brute-force enumeration for Sauer's lemma, a Monte-Carlo run for the finite-class bound."""
from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from geodl_ref.ch12 import bounds


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
