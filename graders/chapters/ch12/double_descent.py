"""ch12.double_descent: the risk of the minimum-norm least-squares fit on the first p of D weak
features (eq 12.32, Belkin–Hsu–Xu), in closed form and by Monte Carlo, on the book's setting
D = 100, N = 40, σ² = 1/25, ‖β‖ = 1 (the calibration run's β)."""
from __future__ import annotations

import math

import numpy as np
from hypothesis import strategies as st

from graders.authoring import Array, Exercise, Float, Tuple, assert_close, expect, seeds

exercise = Exercise(module="ch12.dd", functions=("dd_theory_risk", "min_norm_fit", "dd_mc_risk"),
                    forbidden=("torch",), title="Double descent")

D, N, SIGMA2 = 100, 40, 1 / 25
#: ‖β‖ = 1; with this direction the calibration run gave 1.184 (p = 5), 0.8720 (p = 80), 0.667 (p = 100).
_DRAWN = np.random.default_rng(0).standard_normal(D)
BETA = _DRAWN / np.linalg.norm(_DRAWN)
MC_PS = (5, 20, 30, 50, 60, 80, 100)
MC_TRIALS = 600
_RISK = Tuple(Float(label="mean"), Float(label="se"))


def _rng(seed: int):
    return f"np.random.default_rng({seed})"


# ---- the closed form (12.32) ----------------------------------------------------------------------

def _expect_risk(got: float, want: float, name: str) -> None:
    if math.isinf(want):
        expect(got == math.inf, f"{name} should be inf (N − 1 ≤ p ≤ N + 1: the expected risk diverges); got {got!r}")
    else:
        assert_close(got, want, rtol=1e-10, name=name)


@exercise.check(points=3, given={"n": st.integers(2, 40), "p": st.integers(0, 60), "extra": st.integers(0, 20),
                                 "sigma2": st.floats(0.0, 2.0), "seed": seeds()}, max_examples=30)
def theory_matches_reference(ctx, n, p, extra, sigma2, seed):
    """dd_theory_risk(p, N, beta, σ²) is (‖β_{T^c}‖² + σ²)(1 + p/(N − p − 1)) for p ≤ N − 2 and
    ‖β_T‖²(1 − N/p) + (‖β_{T^c}‖² + σ²)(1 + N/(p − N − 1)) for p ≥ N + 2, T the first p features (eq 12.32)."""
    beta = np.random.default_rng(seed).normal(size=p + extra)
    if beta.size == 0:
        beta = np.ones(1)
    got = ctx.call("dd_theory_risk", p, n, beta, sigma2, returns=Float())
    _expect_risk(got, ctx.ref.dd_theory_risk(p, n, beta, sigma2), f"dd_theory_risk({p}, {n}, beta of size "
                                                                   f"{beta.size}, {sigma2!r})")


@exercise.check(points=2)
def book_setting_theory(ctx):
    """On D = 100, N = 40, σ² = 1/25, ‖β‖ = 1: dd_theory_risk at p = 0, 5, 20, 30, 38, 42, 50, 60, 80, 100
    (e.g. 0.6 + 0.04·99/59 ≈ 0.6671 at p = 100) and inf at p = 39, 40, 41."""
    ps = [0, 5, 20, 30, 38, 39, 40, 41, 42, 50, 60, 80, 100]
    got = ctx.map("dd_theory_risk", [(p, N, BETA, SIGMA2) for p in ps], returns=Float())
    for p, value in zip(ps, got):
        ctx.report_call("dd_theory_risk", p, N, BETA, SIGMA2)
        _expect_risk(value, ctx.ref.dd_theory_risk(p, N, BETA, SIGMA2), f"dd_theory_risk({p}, 40, beta, 1/25)")


@exercise.check(points=1)
def peak_at_interpolation_then_second_descent(ctx):
    """Over p = 0, …, 100 (D = 100, N = 40) the finite risk peaks next to p = N (at 38 or 42), and the
    interpolating fit with every feature (p = 100) beats the best classical fit (p ≤ 38)."""
    risks = np.array(ctx.map("dd_theory_risk", [(p, N, BETA, SIGMA2) for p in range(D + 1)], returns=Float()))
    finite = np.isfinite(risks)
    expect(not finite[N - 1:N + 2].any() and finite[:N - 1].all() and finite[N + 2:].all(),
           f"the risk should be inf exactly at p = 39, 40, 41; it is inf at p = {np.flatnonzero(~finite).tolist()}")
    peak = int(np.argmax(np.where(finite, risks, -np.inf)))
    expect(peak in (N - 2, N + 2), f"the largest finite risk should be at p = 38 or 42; it is at p = {peak}")
    best_classical = float(risks[:N - 1].min())
    expect(risks[D] < best_classical, f"the risk at p = 100 ({risks[D]:.6g}) should be below the best classical "
                                      f"risk min_(p ≤ 38) = {best_classical:.6g}")


# ---- the minimum-norm fit -------------------------------------------------------------------------

def _design(seed: int, n: int, d: int):
    g = np.random.default_rng(seed)
    return g.normal(size=(n, d)), g.normal(size=n)


@exercise.check(points=2, given={"n": st.integers(5, 30), "p": st.integers(0, 25), "extra": st.integers(1, 10),
                                 "seed": seeds()}, max_examples=20)
def min_norm_fit_is_least_squares_below_n(ctx, n, p, extra, seed):
    """For p < N, min_norm_fit(X, y, p) is the least-squares fit on the first p columns (np.linalg.lstsq,
    1e-10) and 0 on the other D − p: the features outside T are not fitted."""
    p = min(p, n - 3)  # N − p ≥ 3 keeps X_T well conditioned
    X, y = _design(seed, n, p + extra)
    got = ctx.call("min_norm_fit", X, y, p, returns=Array((p + extra,)))
    want = np.zeros(p + extra)
    if p:
        want[:p] = np.linalg.lstsq(X[:, :p], y, rcond=None)[0]
    assert_close(got, want, rtol=1e-10, atol=1e-12, name=f"min_norm_fit(X {X.shape}, y, p={p})")


@exercise.check(points=2, given={"n": st.integers(2, 20), "more": st.integers(3, 30), "extra": st.integers(0, 10),
                                 "seed": seeds()}, max_examples=20)
def min_norm_fit_interpolates_in_the_row_space_above_n(ctx, n, more, extra, seed):
    """For p > N, min_norm_fit(X, y, p) interpolates (X_T β̂_T = y), lies in the row space of X_T (the
    minimum-norm interpolant, X_T⁺y) and is 0 off T."""
    p = n + more
    X, y = _design(seed, n, p + extra)
    got = ctx.call("min_norm_fit", X, y, p, returns=Array((p + extra,)))
    name = f"min_norm_fit(X {X.shape}, y, p={p})"
    assert_close(X[:, :p] @ got[:p], y, rtol=1e-10, name=f"X_T β̂_T of {name} vs y")
    assert_close(got[p:], np.zeros(extra), rtol=0, atol=1e-12, name=f"β̂ off T of {name}")
    coefficients = np.linalg.lstsq(X[:, :p].T, got[:p], rcond=None)[0]  # β̂_T ≈ X_Tᵀ a
    assert_close(X[:, :p].T @ coefficients, got[:p], rtol=1e-9, name=f"the projection of β̂_T of {name} on the "
                                                                     "row space of X_T vs β̂_T")
    assert_close(got, ctx.ref.min_norm_fit(X, y, p), rtol=1e-10, atol=1e-12, name=name)


# ---- Monte Carlo --------------------------------------------------------------------------------

@exercise.check(points=3)
def mc_matches_theory(ctx):
    """dd_mc_risk(p, 40, beta, 1/25, 600, default_rng(100 + p)) is within 4 of its standard errors and
    10% of dd_theory_risk at p = 5, 20, 30, 50, 60, 80, 100 (D = 100, ‖β‖ = 1)."""
    got = ctx.map("dd_mc_risk", [(p, N, BETA, SIGMA2, MC_TRIALS, ctx.function(_rng(100 + p))) for p in MC_PS],
                  returns=_RISK)
    for p, (mean, se) in zip(MC_PS, got):
        ctx.report_call("dd_mc_risk", p, N, BETA, SIGMA2, MC_TRIALS, ctx.function(_rng(100 + p)))
        want = ctx.ref.dd_theory_risk(p, N, BETA, SIGMA2)
        expect(math.isfinite(mean) and math.isfinite(se) and se >= 0,
               f"dd_mc_risk at p = {p} should give a finite mean and se ≥ 0; got ({mean!r}, {se!r})")
        expect(abs(mean - want) <= 4 * se and abs(mean - want) <= 0.1 * want,
               f"dd_mc_risk at p = {p} gave {mean:.5g} ± {se:.2g}; the theory gives {want:.5g} "
               f"(allowed: 4 standard errors and 10%)")


@exercise.check(points=1, depends_on="mc_matches_theory")
def mc_standard_error_is_honest(ctx):
    """The se of dd_mc_risk is the standard error of the mean: over 20 seeds (100 trials each, p = 5) the
    spread of the means is between 0.3 and 2 times the average reported se."""
    got = ctx.map("dd_mc_risk", [(5, N, BETA, SIGMA2, 100, ctx.function(_rng(s))) for s in range(20)], returns=_RISK)
    means, ses = np.array([m for m, _ in got]), np.array([s for _, s in got])
    spread, reported = float(means.std(ddof=1)), float(ses.mean())
    expect(np.all(np.isfinite(ses)) and reported > 0 and 0.3 <= spread / reported <= 2.0,
           f"over 20 seeds the means of dd_mc_risk (p = 5, 100 trials) spread by {spread:.3g}, but the "
           f"reported standard errors average {reported:.3g} (se = sample std / √trials)")


@exercise.check(points=1)
def mc_reproducible(ctx):
    """dd_mc_risk with the same generator seed gives identical results, with another seed different ones."""
    first, again, other = ctx.map("dd_mc_risk", [(60, N, BETA, SIGMA2, 30, ctx.function(_rng(s))) for s in (7, 7, 8)],
                                  returns=_RISK)
    expect(first == again, f"dd_mc_risk with the same seed gave {first} and then {again}: use only the rng argument")
    expect(first != other, f"dd_mc_risk gave {first} for two different seeds: does it use the rng argument?")


@exercise.check(points=1, visibility="hidden")
def mc_matches_theory_elsewhere(ctx):
    """On D = 60, N = 25, σ² = 0.25 and a β concentrated on the first features, dd_mc_risk agrees with
    the theory within 4 standard errors and 10% at p = 10 and p = 45."""
    beta = 1.0 / (1.0 + np.arange(60.0))
    for p, seed in ((10, 31), (45, 32)):
        ctx.report_call("dd_mc_risk", p, 25, beta, 0.25, 400, ctx.function(_rng(seed)))
        mean, se = ctx.call("dd_mc_risk", p, 25, beta, 0.25, 400, ctx.function(_rng(seed)), returns=_RISK)
        want = ctx.ref.dd_theory_risk(p, 25, beta, 0.25)
        expect(math.isfinite(mean) and abs(mean - want) <= min(4 * se, 0.1 * want),
               f"dd_mc_risk at p = {p} gave {mean:.5g} ± {se:.2g}; the theory gives {want:.5g}")
