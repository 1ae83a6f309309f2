"""ch12.bounds: the finite-class, VC, Sauer, PAC-Bayes and robustness bounds of chapter 12."""
from __future__ import annotations

import math

import numpy as np
from hypothesis import strategies as st

from graders.authoring import Exercise, Float, Int, arrays, assert_close, expect, row
from graders.authoring.oracles import oracle

exercise = Exercise(module="ch12.bounds",
                    functions=("hoeffding_finite", "vc_bound", "sauer", "kl_diag_gauss", "pac_bayes",
                               "robustness_bound"),
                    forbidden=("torch", "scipy.special.comb"), title="Generalization bounds")

_delta = st.floats(1e-6, 0.999)
_emp = st.floats(0.0, 1.0)


# ---- closed forms (CURRICULUM §0: rtol 1e-10) ----------------------------------------------------

@exercise.check(points=2, given={"emp": _emp, "card_F": st.integers(1, 10**6), "N": st.integers(1, 10**5),
                                 "delta": _delta}, max_examples=30)
def hoeffding_root_covers_the_fraction(ctx, emp, card_F, N, delta):
    """hoeffding_finite is R̂ + √((ln|F| + ln(2/δ))/(2N)): the root covers the whole fraction
    (eq 12.9 prints it over the numerator only)."""
    got = ctx.call("hoeffding_finite", emp, card_F, N, delta, returns=Float())
    assert_close(got, ctx.ref.hoeffding_finite(emp, card_F, N, delta), rtol=1e-10,
                 name=f"hoeffding_finite({emp!r}, {card_F}, {N}, {delta!r})")


@exercise.check(points=2, given={"emp": _emp, "d_vc": st.integers(1, 50), "extra": st.integers(0, 10**5),
                                 "delta": _delta}, max_examples=30)
def vc_bound_is_vapniks(ctx, emp, d_vc, extra, delta):
    """vc_bound is Vapnik's R̂ + √((d(ln(2N/d) + 1) + ln(4/δ))/N) for N ≥ d (Cor 12.1)."""
    N = d_vc + extra
    got = ctx.call("vc_bound", emp, d_vc, N, delta, returns=Float())
    assert_close(got, ctx.ref.vc_bound(emp, d_vc, N, delta), rtol=1e-10,
                 name=f"vc_bound({emp!r}, {d_vc}, {N}, {delta!r})")


@exercise.check(points=2, given={"emp": _emp, "kl": st.floats(0.0, 1e3), "N": st.integers(1, 10**5),
                                 "delta": _delta}, max_examples=30)
def pac_bayes_is_mcallesters(ctx, emp, kl, N, delta):
    """pac_bayes is McAllester's R̂ + √((KL + ln(2√N/δ))/(2N)) (eq 12.28)."""
    got = ctx.call("pac_bayes", emp, kl, N, delta, returns=Float())
    assert_close(got, ctx.ref.pac_bayes(emp, kl, N, delta), rtol=1e-10,
                 name=f"pac_bayes({emp!r}, {kl!r}, {N}, {delta!r})")


@exercise.check(points=2, given={"eps": st.floats(0.0, 1.0), "M": st.floats(0.01, 10.0), "K": st.integers(1, 1000),
                                 "N": st.integers(1, 10**5), "delta": _delta}, max_examples=30)
def robustness_bound_is_xu_mannors(ctx, eps, M, K, N, delta):
    """robustness_bound is ε + M√((2K ln 2 + 2 ln(1/δ))/N) (eq 12.36)."""
    got = ctx.call("robustness_bound", eps, M, K, N, delta, returns=Float())
    assert_close(got, ctx.ref.robustness_bound(eps, M, K, N, delta), rtol=1e-10,
                 name=f"robustness_bound({eps!r}, {M!r}, {K}, {N}, {delta!r})")


# ---- monotonicity --------------------------------------------------------------------------------

_BASE = {
    "hoeffding_finite": (0.1, 20, 500, 0.05),
    "vc_bound": (0.1, 5, 500, 0.05),
    "pac_bayes": (0.1, 3.0, 500, 0.05),
    "robustness_bound": (0.05, 1.0, 10, 500, 0.05),
}
_DELTAS = (1e-6, 0.01, 0.05, 0.2, 0.9)


@exercise.table(points=1, rows=[
    row("hoeffding_shrinks_with_N", "hoeffding_finite decreases as N grows.",
        func="hoeffding_finite", arg=2, grid=(1, 10, 100, 1000, 10**5), sign=-1),
    row("hoeffding_grows_with_card_F", "hoeffding_finite increases with the size of the class.",
        func="hoeffding_finite", arg=1, grid=(1, 2, 20, 1000, 10**6), sign=+1),
    row("hoeffding_shrinks_with_delta", "hoeffding_finite decreases as δ grows (less confidence).",
        func="hoeffding_finite", arg=3, grid=_DELTAS, sign=-1),
    row("vc_bound_shrinks_with_N", "vc_bound decreases as N grows (N ≥ d).",
        func="vc_bound", arg=2, grid=(5, 6, 50, 1000, 10**5), sign=-1),
    row("vc_bound_grows_with_d", "vc_bound increases with the VC dimension (d ≤ N).",
        func="vc_bound", arg=1, grid=(1, 2, 10, 100, 500), sign=+1),
    row("vc_bound_shrinks_with_delta", "vc_bound decreases as δ grows.",
        func="vc_bound", arg=3, grid=_DELTAS, sign=-1),
    row("pac_bayes_shrinks_with_N", "pac_bayes decreases as N grows.",
        func="pac_bayes", arg=2, grid=(1, 2, 100, 1000, 10**5), sign=-1),
    row("pac_bayes_grows_with_kl", "pac_bayes increases with KL(Q ‖ P).",
        func="pac_bayes", arg=1, grid=(0.0, 0.1, 1.0, 10.0, 1e3), sign=+1),
    row("pac_bayes_shrinks_with_delta", "pac_bayes decreases as δ grows.",
        func="pac_bayes", arg=3, grid=_DELTAS, sign=-1),
    row("robustness_shrinks_with_N", "robustness_bound decreases as N grows.",
        func="robustness_bound", arg=3, grid=(1, 2, 100, 1000, 10**5), sign=-1),
    row("robustness_grows_with_K", "robustness_bound increases with the number of cells K.",
        func="robustness_bound", arg=2, grid=(1, 2, 10, 100, 10**4), sign=+1),
    row("robustness_shrinks_with_delta", "robustness_bound decreases as δ grows.",
        func="robustness_bound", arg=4, grid=_DELTAS, sign=-1),
])
def monotone(ctx, func, arg, grid, sign):
    base = _BASE[func]
    calls = [(*base[:arg], g, *base[arg + 1:]) for g in grid]
    values = ctx.map(func, calls, returns=Float())
    for (a, va), (b, vb) in zip(zip(grid, values), zip(grid[1:], values[1:])):
        word = "increase" if sign > 0 else "decrease"
        expect(sign * (vb - va) > 0,
               f"{func} should {word} from argument {a!r} to {b!r} (argument {arg} of {base}); got {va!r} then {vb!r}")


# ---- Sauer's lemma -------------------------------------------------------------------------------

@exercise.check(points=2, given={"n": st.integers(0, 30), "d": st.integers(0, 30)}, max_examples=30)
def sauer_counts_from_zero(ctx, n, d):
    """Sauer's bound is Σ_{i=0}^{d} C(n, i) (eq 12.15 starts at i = 1: a misprint)."""
    assert_close(ctx.call("sauer", n, d, returns=Int()), ctx.ref.sauer(n, d), rtol=0, name=f"sauer({n}, {d})")


@exercise.check(points=1, given={"n": st.integers(0, 20), "extra": st.integers(0, 10)}, max_examples=20)
def sauer_is_2_to_the_n_when_shattered(ctx, n, extra):
    """For n ≤ d every labeling is possible: sauer(n, d) = 2ⁿ."""
    d = n + extra
    got = ctx.call("sauer", n, d, returns=Int())
    expect(got == 2**n, f"sauer({n}, {d}) should be 2**{n} = {2**n}; got {got}")


@exercise.check(points=1, given={"d": st.integers(1, 15), "extra": st.integers(0, 60)}, max_examples=20,
                depends_on="sauer_counts_from_zero")
def sauer_within_en_over_d_to_the_d(ctx, d, extra):
    """For n ≥ d ≥ 1, sauer(n, d) ≤ (en/d)^d; counts once sauer_counts_from_zero passes (a constant
    satisfies the bound alone)."""
    n = d + extra
    got = ctx.call("sauer", n, d, returns=Int())
    cap = (math.e * n / d) ** d
    expect(0 < got <= cap, f"sauer({n}, {d}) should be in (0, (e·{n}/{d})^{d} = {cap:.6g}]; got {got}")


@exercise.check(points=1)
def threshold_growth_within_sauer(ctx):
    """Thresholds x ≤ θ (VC dimension 1) realize n + 1 labelings of n points: at most sauer(n, 1)."""
    ns = list(range(1, 16))
    got = ctx.map("sauer", [(n, 1) for n in ns], returns=Int())
    for n, s in zip(ns, got):
        x = np.sort(np.random.default_rng(n).uniform(size=n))
        labelings = {tuple(x <= t) for t in np.concatenate(([-1.0], x))}
        expect(len(labelings) <= s,
               f"thresholds realize {len(labelings)} labelings of {n} points, more than sauer({n}, 1) = {s}")


# ---- KL divergence -------------------------------------------------------------------------------

@oracle
def _torch_kl(mq: np.ndarray, vq: np.ndarray, mp: np.ndarray, vp: np.ndarray) -> float:
    """KL(q ‖ p) of diagonal Gaussians given by means and variances, by torch.distributions."""
    import torch
    from torch.distributions import Independent, Normal, kl_divergence

    q = Independent(Normal(torch.from_numpy(mq), torch.from_numpy(np.sqrt(vq))), 1)
    p = Independent(Normal(torch.from_numpy(mp), torch.from_numpy(np.sqrt(vp))), 1)
    return float(kl_divergence(q, p).item())


@exercise.check(points=3, given={"case": arrays(mq="d", vq="d", mp="d", vp="d", dims=(1, 8))}, max_examples=25)
def kl_matches_torch(ctx, case):
    """kl_diag_gauss(mq, vq, mp, vp) is KL(q ‖ p) with variances (not standard deviations),
    equal to torch.distributions.kl_divergence (1e-12)."""
    vq, vp = np.exp(case.vq), np.exp(case.vp)  # positive variances, spread over e^{±3}
    got = ctx.call("kl_diag_gauss", case.mq, vq, case.mp, vp, returns=Float())
    assert_close(got, _torch_kl(case.mq, vq, case.mp, vp), rtol=1e-12, atol=1e-12,
                 name="kl_diag_gauss(mq, vq, mp, vp) = KL(q ‖ p)")


@exercise.check(points=1, given={"case": arrays(m="d", v="d", dims=(1, 8))}, max_examples=10,
                depends_on="kl_matches_torch")
def kl_of_q_with_itself_is_zero(ctx, case):
    """KL(q ‖ q) = 0; counts once kl_matches_torch passes (a function that returns 0 satisfies this alone)."""
    v = np.exp(case.v)
    assert_close(ctx.call("kl_diag_gauss", case.m, v, case.m, v, returns=Float()), 0.0, rtol=0, atol=1e-12,
                 name="kl_diag_gauss(m, v, m, v)")


# ---- Monte Carlo: the finite-class bound holds --------------------------------------------------

@exercise.check(points=3, visibility="hidden", depends_on="hoeffding_root_covers_the_fraction")
def hoeffding_holds_in_monte_carlo(ctx):
    """Over 2000 samples of N = 100 points, the bound of 20 fixed threshold classifiers is
    violated (some classifier's true risk above its bound) in at most a fraction δ = 0.1 of them;
    counts once hoeffding_root_covers_the_fraction passes (a vacuous bound holds alone)."""
    N, delta, reps, card_F = 100, 0.1, 2000, 20
    # x ~ U(0, 1), y = 1[x ≥ ½] flipped w.p. 0.2; h_θ(x) = 1[x ≥ θ] has R(θ) = 0.2 + 0.6 |θ − ½|.
    rng = np.random.default_rng(12)
    thetas = np.linspace(0.05, 0.95, card_F)
    risk = 0.2 + 0.6 * np.abs(thetas - 0.5)  # (20,)
    x = rng.uniform(size=(reps, N))
    y = (x >= 0.5) ^ (rng.uniform(size=(reps, N)) < 0.2)
    errors = ((x[..., None] >= thetas) != y[..., None]).sum(axis=1)  # (reps, 20), counts in 0..N
    # an empirical risk is k/N, so one call per k covers every repetition
    table = np.array(ctx.map("hoeffding_finite", [(k / N, card_F, N, delta) for k in range(N + 1)],
                             returns=Float()))
    expect(np.all(np.isfinite(table)), "hoeffding_finite(k/N, 20, 100, 0.1) should be finite for k = 0..N")
    rate = float(np.mean((risk > table[errors]).any(axis=1)))
    expect(rate <= delta, f"the bound was violated in {rate:.3f} of {reps} samples, more than δ = {delta}")
