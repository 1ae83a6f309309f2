"""ch12.rademacher: the empirical Rademacher complexity E_σ sup_h (1/N) Σσ_i h_i (eq 12.22) by exact
enumeration and by Monte Carlo, the linear class's closed-form sup (W/N)‖Σσ_i x_i‖ and its bound
W max‖x_i‖/√N, and Massart's lemma."""
from __future__ import annotations

import itertools
import math

import numpy as np
from hypothesis import strategies as st

from graders.authoring import Exercise, Float, arrays, assert_close, expect, uniform
from graders.authoring.oracles import oracle

exercise = Exercise(module="ch12.rademacher",
                    functions=("empirical_rademacher", "rad_linear_l2", "bound_linear_l2", "massart_bound"),
                    forbidden=("torch",), title="Rademacher complexity")

N_DRAWS = 4000


@oracle
def _exact_moments(H: np.ndarray) -> tuple[float, float]:
    """Mean and standard deviation of sup_h (1/N) σᵀh over all 2ᴺ sign vectors σ."""
    N = H.shape[1]
    S = np.array(list(itertools.product((-1.0, 1.0), repeat=N)))
    sups = np.max(S @ H.T / N, axis=1)
    return float(sups.mean()), float(sups.std())


@oracle
def _exact_linear_moments(X: np.ndarray, W: float) -> tuple[float, float]:
    """Mean and standard deviation of (W/N)‖Σσ_i x_i‖ over all 2ᴺ sign vectors σ."""
    N = X.shape[0]
    S = np.array(list(itertools.product((-1.0, 1.0), repeat=N)))
    sups = W / N * np.linalg.norm(S @ X, axis=1)
    return float(sups.mean()), float(sups.std())


def _fixed_class(seed: int, h: int, N: int) -> np.ndarray:
    """h hypotheses with values in [−1, 1] on N points, not symmetric under σ → −σ."""
    return np.round(np.random.default_rng(seed).uniform(-1.0, 1.0, size=(h, N)), 3)


# ---- exact enumeration --------------------------------------------------------------------------

@exercise.check(points=2)
def one_hypothesis_zero_every_sign_vector_one(ctx):
    """Exactly (n_draws=None): a single hypothesis has complexity 0 (E_σ σᵀh = 0: the expectation
    is outside the sup, with no absolute value), and the class of all 2ᴺ sign vectors has complexity 1."""
    h = np.array([[0.7, -1.3, 0.2, 2.0, -0.4, 1.1, 0.9]])
    every = np.array(list(itertools.product((-1.0, 1.0), repeat=6)))  # (64, 6)
    one, full = ctx.map("empirical_rademacher", [(h,), (every,)], returns=Float())
    ctx.report_call("empirical_rademacher", h)
    assert_close(one, 0.0, rtol=0, atol=1e-12, name="empirical_rademacher of one hypothesis")
    ctx.report_call("empirical_rademacher", every)
    assert_close(full, 1.0, rtol=1e-12, name="empirical_rademacher of all 64 sign vectors of length 6")


@exercise.check(points=3, given={"case": arrays(H=uniform(-2.0, 2.0, "h", "N"), dims={"h": (1, 7), "N": (1, 10)})},
                max_examples=25)
def exact_matches_reference(ctx, case):
    """empirical_rademacher(H) (exact enumeration of the 2ᴺ sign vectors) is E_σ max_h (1/N) Σσ_i H[h, i]
    (eq 12.22) to 1e-10, for h hypotheses on N ≤ 10 points."""
    got = ctx.call("empirical_rademacher", case.H, returns=Float())
    assert_close(got, ctx.ref.empirical_rademacher(case.H), rtol=1e-10, atol=1e-14,
                 name=f"empirical_rademacher(H of shape {case.H.shape})")


@exercise.check(points=1, given={"case": arrays(H=uniform(-2.0, 2.0, "h", "N"), dims={"h": (1, 6), "N": (2, 9)}),
                                 "c": st.sampled_from((-2.5, -1.0, 0.5, 3.0))},
                max_examples=12, depends_on="exact_matches_reference")
def scaling_the_class(ctx, case, c):
    """Rad(cH) = |c|·Rad(H), negative c included (σ and −σ are equally likely); counts once
    exact_matches_reference passes (0 scales too)."""
    base, scaled = ctx.map("empirical_rademacher", [(case.H,), (c * case.H,)], returns=Float())
    assert_close(scaled, abs(c) * base, rtol=1e-10, atol=1e-14,
                 name=f"empirical_rademacher({c} H) vs |{c}|·empirical_rademacher(H)")


@exercise.check(points=1, given={"case": arrays(H=uniform(-2.0, 2.0, "h", "N"), dims={"h": (2, 6), "N": (2, 9)})},
                max_examples=12, depends_on="exact_matches_reference")
def convex_combinations_change_nothing(ctx, case):
    """Adding convex combinations of the rows of H leaves the complexity unchanged (a linear function's
    sup over the convex hull is at a vertex); counts once exact_matches_reference passes."""
    weights = case.rng.dirichlet(np.ones(case.H.shape[0]), size=3)  # (3, h), rows on the simplex
    hull = np.vstack([case.H, weights @ case.H])
    base, more = ctx.map("empirical_rademacher", [(case.H,), (hull,)], returns=Float())
    assert_close(more, base, rtol=1e-10, atol=1e-14,
                 name="empirical_rademacher(H with 3 convex combinations of its rows added) vs empirical_rademacher(H)")


# ---- Monte Carlo -------------------------------------------------------------------------------

@exercise.check(points=2)
def monte_carlo_within_4_se(ctx):
    """empirical_rademacher(H, n_draws=4000, rng=default_rng(5)) for 6 hypotheses on N = 12 points is
    within 4 standard errors of the exact value."""
    H = _fixed_class(3, 6, 12)
    mean, sd = _exact_moments(H)
    got = ctx.call("empirical_rademacher", H, N_DRAWS, ctx.function("np.random.default_rng(5)"), returns=Float())
    se = sd / math.sqrt(N_DRAWS)
    expect(math.isfinite(got) and abs(got - mean) <= 4 * se,
           f"the Monte Carlo estimate {got:.6g} (4000 draws) is more than 4 standard errors ({4 * se:.3g}) "
           f"from the exact {mean:.6g}")


@exercise.check(points=1)
def monte_carlo_reproducible(ctx):
    """empirical_rademacher and rad_linear_l2 with the same generator seed give identical values, with
    another seed different ones: all randomness comes from the rng argument."""
    H, X = _fixed_class(4, 5, 20), _fixed_class(6, 9, 2)
    for func, data in (("empirical_rademacher", H), ("rad_linear_l2", X)):
        extra = (1.0,) if func == "rad_linear_l2" else ()
        first, again, other = ctx.map(func, [(data, *extra, 200, ctx.function(f"np.random.default_rng({s})"))
                                             for s in (1, 1, 2)], returns=Float())
        expect(first == again,
               f"{func} with the same seed gave {first!r} and then {again!r}: use only the rng argument")
        expect(first != other, f"{func} gave {first!r} for two different seeds: does it use the rng argument?")


# ---- the linear class ----------------------------------------------------------------------------

@exercise.check(points=1, given={"case": arrays(X=("N", "d"), dims={"N": (1, 9), "d": (1, 6)}),
                                 "W": st.floats(0.1, 5.0)}, max_examples=20)
def bound_linear_closed_form(ctx, case, W):
    """bound_linear_l2(X, W) is W·max_i ‖x_i‖₂/√N, samples in the rows of X."""
    got = ctx.call("bound_linear_l2", case.X, W, returns=Float())
    assert_close(got, ctx.ref.bound_linear_l2(case.X, W), rtol=1e-10, name=f"bound_linear_l2(X of shape "
                                                                           f"{case.X.shape}, {W!r})")


@exercise.check(points=3)
def linear_mc_within_4_se_of_exact(ctx):
    """rad_linear_l2(X, 1.5, 4000, default_rng(11)) for N = 10 samples in ℝ³ is within 4 standard errors
    of the exact E_σ (W/N)‖Σσ_i x_i‖ (all 1024 sign vectors), and below bound_linear_l2's value."""
    X, W = np.random.default_rng(8).normal(size=(10, 3)), 1.5
    mean, sd = _exact_linear_moments(X, W)
    got = ctx.call("rad_linear_l2", X, W, N_DRAWS, ctx.function("np.random.default_rng(11)"), returns=Float())
    se = sd / math.sqrt(N_DRAWS)
    expect(math.isfinite(got) and abs(got - mean) <= 4 * se,
           f"rad_linear_l2(X (10, 3), W = 1.5, 4000 draws) = {got:.6g} is more than 4 standard errors "
           f"({4 * se:.3g}) from the exact {mean:.6g}")
    bound = ctx.ref.bound_linear_l2(X, W)
    expect(got <= bound, f"rad_linear_l2 = {got:.6g} exceeds the bound W·max‖x_i‖/√N = {bound:.6g}")


# ---- Massart's lemma ----------------------------------------------------------------------------

@exercise.check(points=1, given={"case": arrays(H=("h", "N"), dims={"h": (1, 9), "N": (1, 9)})}, max_examples=20)
def massart_closed_form(ctx, case):
    """massart_bound(H) is max_h ‖H[h]‖₂·√(2 ln h)/N for h rows on N points (0 for one row)."""
    got = ctx.call("massart_bound", case.H, returns=Float())
    assert_close(got, ctx.ref.massart_bound(case.H), rtol=1e-10, atol=1e-14,
                 name=f"massart_bound(H of shape {case.H.shape})")


@exercise.check(points=1, given={"case": arrays(H=uniform(-1.0, 1.0, "h", "N"), dims={"h": (2, 9), "N": (2, 10)})},
                max_examples=12, depends_on="massart_closed_form")
def massart_above_exact(ctx, case):
    """Massart's bound is at least the exact complexity; counts once massart_closed_form passes."""
    got = ctx.call("massart_bound", case.H, returns=Float())
    exact = ctx.ref.empirical_rademacher(case.H)
    expect(got >= exact, f"massart_bound(H of shape {case.H.shape}) = {got:.6g} is below the exact {exact:.6g}")


@exercise.check(points=1, visibility="hidden")
def monte_carlo_elsewhere(ctx):
    """Monte Carlo on another class (8 hypotheses on 13 points) and another linear sample (12 points in ℝ⁵),
    3000 draws: both within 4 standard errors of the exact values."""
    H, X, draws = _fixed_class(21, 8, 13), np.random.default_rng(22).uniform(-2.0, 2.0, size=(12, 5)), 3000
    got = ctx.call("empirical_rademacher", H, draws, ctx.function("np.random.default_rng(23)"), returns=Float())
    mean, sd = _exact_moments(H)
    expect(math.isfinite(got) and abs(got - mean) <= 4 * sd / math.sqrt(draws),
           f"empirical_rademacher (3000 draws) gave {got:.6g}; the exact value is {mean:.6g}")
    got = ctx.call("rad_linear_l2", X, 0.8, draws, ctx.function("np.random.default_rng(24)"), returns=Float())
    mean, sd = _exact_linear_moments(X, 0.8)
    expect(math.isfinite(got) and abs(got - mean) <= 4 * sd / math.sqrt(draws),
           f"rad_linear_l2 (3000 draws) gave {got:.6g}; the exact value is {mean:.6g}")
