"""ch03.bias_variance — bias and variance of the ridge prediction at x0 (eq 3.29, ex 3.7), in
closed form and by Monte Carlo.

Sign convention (the reference's docstring): bias = f(x0) − E f̂(x0) = λx0ᵀ(XXᵀ + λI)⁻¹β.
"""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from graders.authoring import Exercise, Float, Tuple, assert_close, distinct_dims, expect, rng, seeds
from graders.authoring.oracles import oracle

exercise = Exercise(module="ch03.biasvar", functions=("ridge_bias_var", "mc_bias_var"),
                    forbidden=("torch", "scipy", "sympy"), title="Bias and variance of ridge regression")

TRIALS = 4000
#: (seed, p, N, σ², λ): fixed designs for the Monte Carlo checks, p < N and p > N, every bias
#: far from 0 (≥ 18 standard errors), so a flipped sign cannot pass.
_MC_CONFIGS = ((15, 4, 12, 0.8, 3.0), (21, 6, 4, 1.5, 0.7), (22, 3, 9, 2.0, 10.0))
#: What ridge_bias_var and mc_bias_var return.
_BIAS_VAR = Tuple(Float(label="the bias"), Float(label="the variance"))


def _config(seed: int, p: int, N: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    g = rng(seed)
    return g.normal(size=(p, N)), g.normal(size=p), g.normal(size=p)  # X (p, N), β (p,), x0 (p,)


@oracle
def _grader_monte_carlo(X, beta, sigma2, lam, x0, trials: int, seed: int) -> np.ndarray:
    """f̂(x0) for ``trials`` fresh noise draws, each fitted by least squares on the augmented
    system [Xᵀ; √λI] b ≈ [y; 0] (an independent route to the ridge estimate)."""
    p, N = X.shape
    Y = (X.T @ beta)[:, None] + np.sqrt(sigma2) * rng(seed).normal(size=(N, trials))   # (N, T)
    A = np.vstack([X.T, np.sqrt(lam) * np.eye(p)])                                       # (N+p, p)
    B = np.linalg.lstsq(A, np.vstack([Y, np.zeros((p, trials))]), rcond=None)[0]         # (p, T)
    return x0 @ B                                                                        # (T,)


def _sweep(ctx) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bias and variance over λ ∈ logspace(−3, 4, 40) for x0 = β (p = 5, N = 20, σ² = 4)."""
    X, beta, _ = _config(15, 5, 20)
    lams = np.logspace(-3, 4, 40)
    values = np.array([ctx.call("ridge_bias_var", X, beta, 4.0, lam, beta, returns=_BIAS_VAR) for lam in lams])
    return lams, values[:, 0], values[:, 1]


# ----------------------------------------------------------------------------- checks
@exercise.check(points=2)
def closed_form_vs_monte_carlo(ctx):
    """On three fixed designs (p < N and p > N) the closed form agrees with the grader's Monte
    Carlo of 4000 fits: bias within 4 standard errors √(var/T), variance within 4·var·√(2/(T−1))."""
    for number, (seed, p, N, sigma2, lam) in enumerate(_MC_CONFIGS):
        X, beta, x0 = _config(seed, p, N)
        bias, var = ctx.call("ridge_bias_var", X, beta, sigma2, lam, x0, returns=_BIAS_VAR)
        preds = _grader_monte_carlo(X, beta, sigma2, lam, x0, TRIALS, seed=100 + number)
        mc_bias, mc_var = float(x0 @ beta - preds.mean()), float(preds.var(ddof=1))
        se_bias, se_var = np.sqrt(mc_var / TRIALS), mc_var * np.sqrt(2 / (TRIALS - 1))
        where = f"(design {number + 1}: p = {p}, N = {N}, σ² = {sigma2:g}, λ = {lam:g})"
        flipped = np.isfinite(bias) and abs(bias + mc_bias) <= 4 * se_bias
        expect(np.isfinite(bias) and abs(bias - mc_bias) <= 4 * se_bias,
               f"the bias {bias:.6g} {where} disagrees with the Monte Carlo bias f(x0) − mean f̂ = {mc_bias:.6g} "
               f"by more than 4 standard errors ({4 * se_bias:.3g})"
               + ("; it has the opposite sign: the bias is f(x0) − E f̂(x0)" if flipped else ""))
        expect(np.isfinite(var) and abs(var - mc_var) <= 4 * se_var,
               f"the variance {var:.6g} {where} disagrees with the Monte Carlo variance {mc_var:.6g} "
               f"by more than 4 standard errors ({4 * se_var:.3g})")


@exercise.check(points=2, visibility="hidden",
                given={"dims": distinct_dims(2, 1, 8), "seed": seeds(), "sigma2": st.sampled_from([0.1, 1.0, 3.0]),
                       "lam": st.sampled_from([0.05, 0.5, 4.0, 30.0])},
                max_examples=20)
def matches_closed_form(ctx, dims, seed, sigma2, lam):
    """bias = λx0ᵀ(XXᵀ + λI)⁻¹β and var = σ²x0ᵀ(XXᵀ + λI)⁻¹XXᵀ(XXᵀ + λI)⁻¹x0 (eq 3.29), each to
    1e-10 of its natural scale: ‖x0‖‖β‖ for the bias, σ²‖x0‖²/λ for the variance (their bounds;
    where p > N the variance can be 1e-8 of that, and a correct formula evaluated another way
    differs from the reference by rounding of the scale, not of the value)."""
    X, beta, x0 = _config(seed, *dims)
    bias, var = ctx.call("ridge_bias_var", X, beta, sigma2, lam, x0, returns=_BIAS_VAR)
    want_bias, want_var = ctx.ref.ridge_bias_var(X, beta, sigma2, lam, x0)
    assert_close(bias, want_bias, rtol=1e-10, scale=float(np.linalg.norm(x0) * np.linalg.norm(beta)),
                 name="the bias")
    assert_close(var, want_var, rtol=1e-10, scale=float(sigma2 * (x0 @ x0) / lam), name="the variance")


@exercise.check(points=1)
def ols_limit(ctx):
    """λ → 0 recovers OLS: bias 0 and var = σ²x0ᵀ(XXᵀ)⁻¹x0, for λ = 0 and λ = 1e-12 (1e-8)."""
    X, beta, x0 = _config(15, 4, 12)
    _, want_var = ctx.ref.ridge_bias_var(X, beta, 0.5, 0.0, x0)
    for lam in (0.0, 1e-12):
        bias, var = ctx.call("ridge_bias_var", X, beta, 0.5, lam, x0, returns=_BIAS_VAR)
        assert_close(bias, 0.0, rtol=0, atol=1e-8, name=f"the bias at λ = {lam:g}")
        assert_close(var, want_var, rtol=1e-8, name=f"the variance at λ = {lam:g} (vs σ²x0ᵀ(XXᵀ)⁻¹x0)")


@exercise.check(points=1)
def monotone_in_lambda(ctx):
    """Ex 3.7: over λ ∈ logspace(−3, 4, 40) with x0 = β, the variance strictly decreases and the
    squared bias strictly increases."""
    lams, bias, var = _sweep(ctx)
    up = np.flatnonzero(~(np.diff(var) < 0))
    if up.size:
        i = up[0]
        ctx.fail(f"the variance should strictly decrease in λ; it goes from {var[i]:.6g} at λ = {lams[i]:.3g} "
                 f"to {var[i + 1]:.6g} at λ = {lams[i + 1]:.3g}")
    down = np.flatnonzero(~(np.diff(bias**2) > 0))
    if down.size:
        i = down[0]
        ctx.fail(f"the squared bias should strictly increase in λ; it goes from {bias[i] ** 2:.6g} "
                 f"at λ = {lams[i]:.3g} to {bias[i + 1] ** 2:.6g} at λ = {lams[i + 1]:.3g}")


@exercise.check(points=1)
def mse_has_interior_minimum(ctx):
    """On the same sweep, bias² + var is smallest at an interior λ (neither 1e-3 nor 1e4), and
    that λ is the reference's."""
    lams, bias, var = _sweep(ctx)
    mse = bias**2 + var
    expect(np.all(np.isfinite(mse)), "bias² + var should be finite for every λ")
    best = int(np.argmin(mse))
    X, beta, _ = _config(15, 5, 20)
    ref = [ctx.ref.ridge_bias_var(X, beta, 4.0, lam, beta) for lam in lams]
    want = int(np.argmin([b**2 + v for b, v in ref]))
    expect(best == want,
           f"bias² + var should be smallest at λ = {lams[want]:.4g}; yours is smallest at λ = {lams[best]:.4g}")


@exercise.check(points=2)
def monte_carlo_within_5_sigma(ctx):
    """mc_bias_var(..., trials=4000, rng=default_rng(17)) is within 5 standard errors of the
    closed form, for the bias and the variance, on the three fixed designs."""
    for number, (seed, p, N, sigma2, lam) in enumerate(_MC_CONFIGS):
        X, beta, x0 = _config(seed, p, N)
        bias, var = ctx.ref.ridge_bias_var(X, beta, sigma2, lam, x0)
        got_bias, got_var = ctx.call("mc_bias_var", X, beta, sigma2, lam, x0, TRIALS,
                                     ctx.function("np.random.default_rng(17)"), returns=_BIAS_VAR)
        where = f"(design {number + 1}: p = {p}, N = {N}, σ² = {sigma2:g}, λ = {lam:g}, trials = {TRIALS})"
        se_bias, se_var = np.sqrt(var / TRIALS), var * np.sqrt(2 / (TRIALS - 1))
        expect(np.isfinite(got_bias) and abs(got_bias - bias) <= 5 * se_bias,
               f"the Monte Carlo bias {got_bias:.6g} {where} is more than 5 standard errors ({5 * se_bias:.3g}) "
               f"from the closed form {bias:.6g}")
        same = " (a variance ≈ 0: every trial gave the same prediction; is the noise drawn afresh for each?)"
        expect(np.isfinite(got_var) and abs(got_var - var) <= 5 * se_var,
               f"the Monte Carlo variance {got_var:.6g} {where} is more than 5 standard errors ({5 * se_var:.3g}) "
               f"from the closed form {var:.6g}" + (same if abs(got_var) <= 1e-12 * var else ""))


@exercise.check(points=1)
def monte_carlo_reproducible(ctx):
    """The same generator seed gives bit-identical results, another seed different ones (all
    randomness comes from the rng argument)."""
    seed, p, N, sigma2, lam = _MC_CONFIGS[0]
    X, beta, x0 = _config(seed, p, N)

    def run(s):
        return ctx.call("mc_bias_var", X, beta, sigma2, lam, x0, 500, ctx.function(f"np.random.default_rng({s})"),
                        returns=_BIAS_VAR)

    first, again, other = run(17), run(17), run(18)
    expect(first == again, f"mc_bias_var with the same seed gave {first} and then {again}: use only the rng argument")
    expect(first != other, f"mc_bias_var gave {first} for two different seeds: does it use the rng argument?")
