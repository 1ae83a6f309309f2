"""ch05.plasticity — Hebb's and Oja's rules, and spike-timing-dependent plasticity (STDP)."""
from __future__ import annotations

import math

import numpy as np
from hypothesis import strategies as st

from graders.authoring import Array, Exercise, Float, arrays, assert_close, expect

exercise = Exercise(module="ch05.plasticity",
                    functions=("hebb_step", "oja_step", "run_oja", "stdp_dw", "stdp_total"),
                    forbidden=("torch", "scipy", "sympy"), title="Synaptic plasticity: Hebb, Oja and STDP")

#: The input covariance of CURRICULUM §5: its first principal component is the Oja fixed point.
_COVARIANCE = np.array([[3.0, 1.0, 0.0], [1.0, 2.0, 0.0], [0.0, 0.0, 0.5]])


def _samples(n: int, seed: int) -> np.ndarray:
    """n draws of N(0, C) as the rows of an (n, 3) matrix, from a fixed seed."""
    return np.random.default_rng(seed).multivariate_normal(np.zeros(3), _COVARIANCE, size=n)


# ---- one step of each rule ------------------------------------------------------------------------

@exercise.check(points=2, given={"case": arrays(w="d", x="d", dims=(1, 8)), "eta": st.floats(0.001, 0.5)},
                max_examples=20)
def oja_step_matches_reference(ctx, case, eta):
    """oja_step(w, x, eta) is w + η y (x − y w) with y = wᵀx: the decay scales the weights w, not
    the input (relative 1e-12)."""
    got = ctx.call("oja_step", case.w, case.x, eta, returns=Array(case.w.shape))
    assert_close(got, ctx.ref.oja_step(case.w, case.x, eta), rtol=1e-12, atol=1e-14, name="oja_step(w, x, eta)")


@exercise.check(points=1, given={"case": arrays(w="d", x="d", dims=(1, 8)), "eta": st.floats(0.001, 0.5)},
                max_examples=20)
def hebb_step_matches_reference(ctx, case, eta):
    """hebb_step(w, x, eta) is w + η y x with y = wᵀx (relative 1e-12)."""
    got = ctx.call("hebb_step", case.w, case.x, eta, returns=Array(case.w.shape))
    assert_close(got, ctx.ref.hebb_step(case.w, case.x, eta), rtol=1e-12, atol=1e-14, name="hebb_step(w, x, eta)")


@exercise.check(points=1)
def hebb_norm_grows_without_bound(ctx):
    """Hebb's rule has no decay: 40 successive hebb_step updates (η = 0.05, inputs from N(0, C))
    make ‖w‖ increase at every step, to more than twice its start."""
    X = _samples(40, seed=5)
    w = np.array([0.6, -0.3, 0.2])
    norms = [float(np.linalg.norm(w))]
    for x in X:
        w = ctx.call("hebb_step", w, x, 0.05, returns=Array((3,)))
        norms.append(float(np.linalg.norm(w)))
    expect(np.all(np.isfinite(norms)), "hebb_step's weights should stay finite over 40 steps")
    grows = np.diff(norms) > 0
    expect(bool(grows.all()), f"‖w‖ should increase at every hebb_step; it did not at step {int(np.argmin(grows)) + 1} "
                              f"({norms[int(np.argmin(grows))]:.6g} → {norms[int(np.argmin(grows)) + 1]:.6g})")
    expect(norms[-1] > 2 * norms[0], f"‖w‖ should more than double over 40 hebb_step updates at η = 0.05; "
                                     f"it went from {norms[0]:.4g} to {norms[-1]:.4g}")


# ---- Oja's rule finds the first principal component -----------------------------------------------

@exercise.check(points=2)
def run_oja_trajectory(ctx):
    """run_oja(X, eta, w0) returns the (N + 1, d) trajectory: row 0 is w0, row k the weights after
    the k-th row of X by Oja's rule (N = 30, d = 3, relative 1e-10)."""
    X, w0 = _samples(30, seed=3), np.array([0.5, -0.5, 0.5])
    got = ctx.call("run_oja", X, 0.01, w0, returns=Array((31, 3)))
    assert_close(got, ctx.ref.run_oja(X, 0.01, w0), rtol=1e-10, name="run_oja(X, 0.01, w0)")


@exercise.check(points=3)
def oja_converges_to_first_component(ctx):
    """On 20 000 samples of N(0, C), C = [[3, 1, 0], [1, 2, 0], [0, 0, 0.5]], η = 0.005, run_oja's
    final weights point along C's leading eigenvector (|cos| ≥ 0.999) with unit norm (1 ± 0.01)."""
    X, w0 = _samples(20_000, seed=2026), np.array([0.3, -0.2, 0.4])
    W = ctx.call("run_oja", X, 0.005, w0, returns=Array((20_001, 3)))
    w = W[-1]
    expect(np.all(np.isfinite(w)), f"run_oja's final weights should be finite; got {w}")
    leading = np.linalg.eigh(_COVARIANCE)[1][:, -1]
    norm = float(np.linalg.norm(w))
    cosine = abs(float(w @ leading)) / norm if norm > 0 else 0.0
    expect(cosine >= 0.999, f"run_oja: |cos(w, v₁)| = {cosine:.6f} between the final weights and C's leading "
                            f"eigenvector; should be ≥ 0.999")
    expect(abs(norm - 1.0) <= 0.01, f"run_oja: the final ‖w‖ = {norm:.6f}; Oja's rule should keep it at 1 ± 0.01")


# ---- the STDP window ------------------------------------------------------------------------------

_DT = np.array([-80.0, -40.0, -20.0, -5.0, -0.5, 0.0, 0.5, 5.0, 20.0, 40.0, 80.0])
_WINDOWS = [(0.01, 0.012, 20.0, 20.0), (0.02, 0.005, 10.0, 30.0)]


@exercise.check(points=2)
def stdp_window_values(ctx):
    """stdp_dw(dt, A_plus, A_minus, tau_plus, tau_minus) is A₊e^{−Δt/τ₊} for Δt = t_post − t_pre > 0,
    −A₋e^{Δt/τ₋} for Δt < 0 and 0 at Δt = 0, with the defaults and with
    (A₊, A₋, τ₊, τ₋) = (0.02, 0.005, 10, 30) (relative 1e-12)."""
    got = ctx.map("stdp_dw", [(_DT, *window) for window in _WINDOWS], returns=Array(_DT.shape))
    for window, dw in zip(_WINDOWS, got):
        assert_close(dw, ctx.ref.stdp_dw(_DT, *window), rtol=1e-12, name=f"stdp_dw(dt, *{window})")


@exercise.check(points=1)
def stdp_sign_and_zero(ctx):
    """With the defaults, stdp_dw potentiates when the presynaptic spike comes first (Δt > 0 gives
    dw > 0), depresses when it comes after (Δt < 0 gives dw < 0), and is exactly 0 at Δt = 0."""
    dw = ctx.call("stdp_dw", _DT, returns=Array(_DT.shape))
    expect(np.all(dw[_DT > 0] > 0), f"stdp_dw should be > 0 for Δt = t_post − t_pre > 0; got {dw[_DT > 0]}")
    expect(np.all(dw[_DT < 0] < 0), f"stdp_dw should be < 0 for Δt < 0; got {dw[_DT < 0]}")
    expect(bool(dw[_DT == 0][0] == 0.0), f"stdp_dw(0) should be exactly 0; got {dw[_DT == 0][0]!r}")


@exercise.check(points=1)
def stdp_decays_by_e_per_tau(ctx):
    """The window decays exponentially in Δt/τ: dw(2τ)/dw(τ) = e⁻¹ on both sides, with
    τ₊ = 15 ms and τ₋ = 35 ms (relative 1e-12)."""
    dt = np.array([15.0, 30.0, -35.0, -70.0])
    dw = ctx.call("stdp_dw", dt, 0.01, 0.012, 15.0, 35.0, returns=Array((4,)))
    ratios = np.array([dw[1] / dw[0], dw[3] / dw[2]]) if np.all(dw[[0, 2]] != 0) else np.full(2, np.nan)
    assert_close(ratios, np.full(2, math.exp(-1.0)), rtol=1e-12,
                 name="stdp_dw(2τ)/stdp_dw(τ) for Δt > 0 (τ₊ = 15) and Δt < 0 (τ₋ = 35)")


@exercise.check(points=1, visibility="hidden")
def stdp_integral(ctx):
    """The area under the window is A₊τ₊ − A₋τ₋ (relative 1e-4), by the midpoint rule on ±600 ms."""
    step = 0.01
    dt = (np.arange(-60_000, 60_000) + 0.5) * step  # cell midpoints: none at the jump Δt = 0
    for A_plus, A_minus, tau_plus, tau_minus in _WINDOWS:
        dw = ctx.call("stdp_dw", dt, A_plus, A_minus, tau_plus, tau_minus, returns=Array(dt.shape))
        assert_close(float(dw.sum()) * step, A_plus * tau_plus - A_minus * tau_minus, rtol=1e-4,
                     name=f"∫ stdp_dw(Δt, {A_plus}, {A_minus}, {tau_plus}, {tau_minus}) dΔt")


@exercise.check(points=1, visibility="hidden")
def stdp_antisymmetric_when_balanced(ctx):
    """With A₊ = A₋ and τ₊ = τ₋ the window is odd: dw(−Δt) = −dw(Δt) (relative 1e-12)."""
    dw = ctx.call("stdp_dw", _DT, 0.01, 0.01, 25.0, 25.0, returns=Array(_DT.shape))
    expect(bool(np.any(dw != 0)), "stdp_dw(dt, 0.01, 0.01, 25, 25) should not be all zeros")
    assert_close(dw[::-1], -dw, rtol=1e-12, name="stdp_dw(−Δt) vs −stdp_dw(Δt) with A₊ = A₋, τ₊ = τ₋")


# ---- all-pairs STDP over two spike trains --------------------------------------------------------

@exercise.check(points=2)
def stdp_total_sums_all_pairs(ctx):
    """stdp_total(pre, post, ...) sums stdp_dw(t_post − t_pre) over all pairs, not only nearest
    neighbours: two trains of 50 spikes in 1 s, with the defaults and another window (relative 1e-10)."""
    rng = np.random.default_rng(50)
    pre, post = np.sort(rng.uniform(0, 1000, 50)), np.sort(rng.uniform(0, 1000, 50))
    for window in _WINDOWS:
        got = ctx.call("stdp_total", pre, post, *window, returns=Float())
        assert_close(got, ctx.ref.stdp_total(pre, post, *window), rtol=1e-10, name=f"stdp_total(pre, post, *{window})")


@exercise.check(points=1, visibility="hidden", given={"case": arrays(pre="a", post="b", dims=(1, 12))},
                max_examples=15)
def stdp_total_random_trains(ctx, case):
    """stdp_total equals the reference on random short trains (times in [0, 100) ms, relative 1e-10)."""
    pre, post = 50 * (case.pre + 1), 50 * (case.post + 1)
    got = ctx.call("stdp_total", pre, post, returns=Float())
    assert_close(got, ctx.ref.stdp_total(pre, post), rtol=1e-10, atol=1e-15, name="stdp_total(pre, post)")
