"""Tests of geodl_ref.ch05.lif against independent oracles.

Oracles:

* scipy's ``solve_ivp`` with a threshold event (RK45 at rtol 1e-10) for the time V takes from
  V_reset to V_th, hence the closed-form rate of ``lif_rate_theory``, and ``brentq`` on the exact
  subthreshold solution V(t) = V_∞ + (V_reset − V_∞) e^{−t/τ};
* the exact exponential relaxation for the subthreshold trace (forward Euler is first order: its
  error shrinks in proportion to dt);
* an independent vectorised form of the first Euler steps, V_{i+1} = V_∞ + (1 − dt/τ)^{i+1}(E_L − V_∞);
* the prototype's counts of CURRICULUM §5 (33/63/112/179 spikes in 1 s with V_reset = E_L = −65 mV).
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from geodl_ref.ch05.hh import count_spikes, hh_simulate
from geodl_ref.ch05.lif import lif_rate_theory, lif_simulate
from geodl_ref.ch05.plasticity import hebb_step, oja_step, run_oja, stdp_dw, stdp_total
from geodl_ref.ch05.v1 import complex_cell, gabor, grating, simple_cell, tuning_curve

CURRENTS = (1.6, 2.0, 3.0, 5.0)


def _ode_rate(I, tau=10.0, E_L=-65.0, V_th=-50.0, V_reset=-70.0, R=10.0, t_ref=2.0):
    """1000 / (t_ref + the time from V_reset to V_th), the climb integrated by scipy."""
    from scipy.integrate import solve_ivp

    def at_threshold(t, V):
        return V[0] - V_th

    at_threshold.terminal = True
    solution = solve_ivp(lambda t, V: (-(V - E_L) + R * I) / tau, (0.0, 100 * tau), [V_reset],
                         events=at_threshold, rtol=1e-10, atol=1e-12)
    (climb,) = solution.t_events[0]
    return 1000.0 / (t_ref + climb)


@pytest.mark.parametrize("I", CURRENTS + (50.0,))
def test_theory_matches_scipy_event_integration(I):
    assert lif_rate_theory(I) == pytest.approx(_ode_rate(I), rel=1e-8)


@pytest.mark.parametrize("params", [
    {"tau": 20.0, "E_L": -70.0, "V_th": -54.0, "V_reset": -80.0, "R": 5.0, "t_ref": 3.0},
    {"V_reset": -65.0},
    {"t_ref": 0.0},
])
def test_theory_matches_brentq_on_the_exact_solution(params):
    from scipy.optimize import brentq

    p = {"tau": 10.0, "E_L": -65.0, "V_th": -50.0, "V_reset": -70.0, "R": 10.0, "t_ref": 2.0, **params}
    I = 4.0
    V_inf = p["E_L"] + p["R"] * I
    climb = brentq(lambda t: V_inf + (p["V_reset"] - V_inf) * math.exp(-t / p["tau"]) - p["V_th"], 0.0, 50 * p["tau"],
                   xtol=1e-14)
    assert lif_rate_theory(I, **params) == pytest.approx(1000.0 / (p["t_ref"] + climb), rel=1e-10)


@pytest.mark.parametrize("I", [-2.0, 0.0, 1.0, 1.5])
def test_theory_is_zero_at_or_below_threshold(I):
    assert lif_rate_theory(I) == 0.0
    assert lif_rate_theory(1.5 + 1e-9) > 0


@pytest.mark.parametrize("V_reset", [-70.0, -65.0])
@pytest.mark.parametrize("I", CURRENTS)
def test_simulated_rate_matches_theory(I, V_reset):
    spikes, V = lif_simulate(I, V_reset=V_reset)
    want = lif_rate_theory(I, V_reset=V_reset)  # spikes in T = 1000 ms
    assert V.shape == (100_000,)
    assert abs(len(spikes) - want) <= max(0.02 * want, 1.0)


def test_prototype_counts_with_reset_at_rest():
    counts = [len(lif_simulate(I, V_reset=-65.0)[0]) for I in CURRENTS]
    assert counts == [33, 63, 112, 179]  # CURRICULUM §5 (proto); theory 33.6/63.0/112.0/179.6 Hz


def test_reset_below_rest_is_caught_by_the_rate():
    # V_reset = −70 ≠ E_L = −65: a simulation resetting to E_L fires ≥ 2 spikes more at 1.6 nA
    assert lif_rate_theory(1.6, V_reset=-65.0) - lif_rate_theory(1.6) > 2.0


def test_first_steps_are_forward_euler():
    I, dt, tau, E_L, R = 1.2, 0.1, 10.0, -65.0, 10.0
    _, V = lif_simulate(I, T=5.0, dt=dt)
    V_inf = E_L + R * I
    i = np.arange(V.size)
    np.testing.assert_allclose(V, V_inf + (1 - dt / tau) ** i * (E_L - V_inf), rtol=0, atol=1e-12)


def test_subthreshold_trace_converges_to_the_exact_solution_at_first_order():
    I, tau, E_L, R = 1.2, 10.0, -65.0, 10.0
    errors = []
    for dt in (0.1, 0.05):
        _, V = lif_simulate(I, T=30.0, dt=dt)
        t = dt * np.arange(V.size)
        exact = E_L + R * I * (1 - np.exp(-t / tau))
        errors.append(np.abs(V - exact).max())
    assert errors[0] < 0.05 and errors[1] / errors[0] == pytest.approx(0.5, abs=0.02)


@pytest.mark.parametrize(("I", "params"), [(0.0, {}), (1.45, {}), (2.0, {"tau": 20.0, "E_L": -70.0, "R": 5.0})])
def test_subthreshold_settles_at_rest_plus_RI_without_spikes(I, params):
    p = {"tau": 10.0, "E_L": -65.0, "R": 10.0, **params}
    dt = 0.1
    spikes, V = lif_simulate(I, T=15 * p["tau"], dt=dt, **params)
    assert spikes.size == 0
    late = V[int(np.ceil(10 * p["tau"] / dt)):]
    np.testing.assert_allclose(late, p["E_L"] + p["R"] * I, rtol=0, atol=1e-3)


@pytest.mark.parametrize("t_ref", [0.5, 2.0, 5.0])
def test_interspike_intervals_respect_the_refractory_period(t_ref):
    spikes, V = lif_simulate(100.0, T=100.0, dt=0.01, t_ref=t_ref)
    assert spikes.size >= 10 and np.diff(spikes).min() >= t_ref
    assert V.max() < -50.0 and V.min() >= -70.0


def test_voltage_is_held_at_reset_during_the_refractory_period():
    dt, t_ref = 0.01, 5.0
    spikes, V = lif_simulate(3.0, T=200.0, dt=dt, V_reset=-75.0, t_ref=t_ref)
    for s in spikes:
        start, stop = round(s / dt), round((s + t_ref) / dt)
        assert np.all(V[start:min(stop + 1, V.size)] == -75.0)
        if stop + 1 < V.size:
            assert V[stop + 1] > -75.0  # integrating again


def test_halving_dt_changes_the_rate_by_less_than_one_percent():
    coarse, fine = (len(lif_simulate(5.0, dt=dt)[0]) for dt in (0.02, 0.01))
    assert abs(coarse - fine) < 0.01 * fine


def test_a_constant_callable_gives_the_constant_current_run():
    spikes, V = lif_simulate(3.0, T=100.0)
    spikes_f, V_f = lif_simulate(lambda t: 3.0, T=100.0)
    np.testing.assert_array_equal(spikes, spikes_f)
    np.testing.assert_array_equal(V, V_f)


def test_a_step_current_is_read_at_the_time_in_ms():
    spikes, V = lif_simulate(lambda t: 3.0 if t >= 50.0 else 0.0, T=150.0, dt=0.05)
    assert np.all(V[:1000] == -65.0)
    # first spike one climb from rest after the step: τ ln(RI / (RI − 15)) = 10 ln 2 ms
    assert spikes[0] == pytest.approx(50.0 + 10 * math.log(2.0), abs=0.1)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: lif_simulate(1.0, dt=0.0), "dt"),
        (lambda: lif_simulate(1.0, T=0.001, dt=0.01), "T"),
        (lambda: lif_simulate(1.0, tau=0.0), "tau"),
        (lambda: lif_simulate(1.0, V_reset=-50.0), "V_reset"),
        (lambda: lif_simulate(1.0, R=-1.0), "R"),
        (lambda: lif_simulate(1.0, t_ref=-1.0), "t_ref"),
        (lambda: lif_simulate(float("nan")), "I"),
        (lambda: lif_rate_theory(1.0, tau=-1.0), "tau"),
        (lambda: lif_rate_theory(1.0, V_reset=-40.0), "V_reset"),
        (lambda: lif_rate_theory(float("inf")), "I"),
    ],
)
def test_invalid_inputs_raise_naming_the_input(call, name):
    with pytest.raises(ValueError, match=rf"^{name} should"):
        call()


def test_a_current_that_is_neither_number_nor_callable_is_refused():
    with pytest.raises(TypeError, match="^I should be a real number"):
        lif_simulate("3 nA")


# ---- ch05.plasticity: Hebb, Oja, STDP ------------------------------------------------------------
# Oracles: numpy's eigh for Oja's fixed point (CURRICULUM §5: |cos| ≥ 0.999, ‖w‖ = 1 ± 0.01 on 20 000
# samples), a plain double loop for the all-pairs STDP sum, scipy's quad for the window's area.


OJA_COVARIANCE = np.array([[3.0, 1.0, 0.0], [1.0, 2.0, 0.0], [0.0, 0.0, 0.5]])


def test_oja_converges_to_the_leading_eigenvector_with_unit_norm():
    X = np.random.default_rng(0).multivariate_normal(np.zeros(3), OJA_COVARIANCE, size=20_000)
    W = run_oja(X, 0.005, np.array([0.3, -0.2, 0.4]))
    leading = np.linalg.eigh(OJA_COVARIANCE)[1][:, -1]
    w = W[-1]
    assert W.shape == (20_001, 3)
    assert abs(w @ leading) / np.linalg.norm(w) >= 0.999
    assert abs(np.linalg.norm(w) - 1.0) <= 0.01


def test_run_oja_starts_at_w0_and_applies_oja_step_row_by_row():
    rng = np.random.default_rng(1)
    X, w0 = rng.normal(size=(7, 4)), rng.normal(size=4)
    W = run_oja(X, 0.05, w0)
    np.testing.assert_array_equal(W[0], w0)
    for k, x in enumerate(X):
        w, y = W[k], W[k] @ x
        np.testing.assert_allclose(W[k + 1], w + 0.05 * y * x - 0.05 * y * y * w, rtol=1e-13)


def test_oja_step_decay_scales_the_weights_not_the_input():
    w, x = np.array([1.0, 2.0]), np.array([0.5, -1.0])
    y = -1.5
    np.testing.assert_allclose(oja_step(w, x, 0.1), w + 0.1 * y * x - 0.1 * y**2 * w, rtol=1e-15)


def test_hebb_norm_increases_at_every_step_and_diverges():
    X = np.random.default_rng(2).multivariate_normal(np.zeros(3), OJA_COVARIANCE, size=200)
    w, norms = np.array([0.6, -0.3, 0.2]), []
    for x in X:
        w = hebb_step(w, x, 0.05)
        norms.append(np.linalg.norm(w))
    assert np.all(np.diff(norms) > 0)
    assert norms[-1] > 1e3


def test_hebb_and_oja_leave_their_arguments_unchanged():
    w, x = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    hebb_step(w, x, 0.1), oja_step(w, x, 0.1), run_oja(x[None, :], 0.1, w)
    np.testing.assert_array_equal(w, [1.0, 2.0])
    np.testing.assert_array_equal(x, [3.0, 4.0])


def test_stdp_sign_and_zero_at_coincidence():
    dw = stdp_dw(np.array([-10.0, 0.0, 10.0]))
    assert dw[0] < 0 < dw[2] and dw[1] == 0.0


@pytest.mark.parametrize(("tau_plus", "tau_minus"), [(20.0, 20.0), (15.0, 35.0)])
def test_stdp_decays_by_one_e_per_time_constant(tau_plus, tau_minus):
    dw = stdp_dw(np.array([tau_plus, 2 * tau_plus, -tau_minus, -2 * tau_minus]), tau_plus=tau_plus, tau_minus=tau_minus)
    assert dw[1] / dw[0] == pytest.approx(math.exp(-1), rel=1e-12)
    assert dw[3] / dw[2] == pytest.approx(math.exp(-1), rel=1e-12)


@pytest.mark.parametrize("window", [(0.01, 0.012, 20.0, 20.0), (0.02, 0.005, 10.0, 30.0)])
def test_stdp_area_matches_scipy_quad(window):
    from scipy.integrate import quad

    A_plus, A_minus, tau_plus, tau_minus = window
    right, _ = quad(lambda t: stdp_dw(np.array([t]), *window)[0], 0, np.inf)
    left, _ = quad(lambda t: stdp_dw(np.array([t]), *window)[0], -np.inf, 0)
    assert right + left == pytest.approx(A_plus * tau_plus - A_minus * tau_minus, rel=1e-8)


def test_stdp_is_odd_when_balanced():
    dt = np.linspace(-100, 100, 41)
    dw = stdp_dw(dt, A_plus=0.01, A_minus=0.01, tau_plus=25.0, tau_minus=25.0)
    np.testing.assert_allclose(dw[::-1], -dw, rtol=1e-15)


def test_stdp_total_equals_a_double_loop_on_50_by_50_spikes():
    rng = np.random.default_rng(3)
    pre, post = rng.uniform(0, 1000, 50), rng.uniform(0, 1000, 50)
    expected = 0.0
    for a in pre:
        for b in post:
            d = b - a
            expected += 0.01 * math.exp(-d / 20.0) if d > 0 else (-0.012 * math.exp(d / 20.0) if d < 0 else 0.0)
    assert stdp_total(pre, post) == pytest.approx(expected, rel=1e-12)
    assert stdp_total(np.array([]), post) == 0.0


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: hebb_step(np.ones(2), np.ones(3), 0.1), "dimension mismatch"),
        (lambda: oja_step(np.ones(2), np.ones(2), -0.1), "eta"),
        (lambda: oja_step(np.ones((2, 2)), np.ones(2), 0.1), "w"),
        (lambda: run_oja(np.ones((4, 3)), 0.1, np.ones(2)), "dimension mismatch"),
        (lambda: run_oja(np.ones(3), 0.1, np.ones(3)), "X"),
        (lambda: stdp_dw(np.array([np.nan])), "dt"),
        (lambda: stdp_dw(np.ones(2), tau_plus=0.0), "tau_plus"),
        (lambda: stdp_dw(np.ones(2), A_minus=-1.0), "A_minus"),
        (lambda: stdp_total(np.ones((2, 2)), np.ones(2)), "pre"),
        (lambda: stdp_total(np.ones(2), np.ones(2), tau_minus=-3.0), "tau_minus"),
    ],
)
def test_plasticity_invalid_inputs_raise_naming_the_input(call, name):
    with pytest.raises(ValueError, match=rf"^{name}"):
        call()


# ---- ch05.hodgkin_huxley -------------------------------------------------------------------------
# Oracles: the HH equations written out here and integrated by scipy's solve_ivp (LSODA, rtol 1e-9)
# for spike counts and peaks; the prototype's counts of CURRICULUM §5 (14 spikes in 200 ms at I = 10,
# 70/88/118 Hz over I ∈ {10, 20, 50}, repetitive-firing threshold in (6.0, 6.5]).


def _hh_rhs(t, y, current):
    V, m, h, n = y
    a_m = 1.0 if V == -40.0 else 0.1 * (V + 40) / (1 - math.exp(-(V + 40) / 10))
    a_n = 0.1 if V == -55.0 else 0.01 * (V + 55) / (1 - math.exp(-(V + 55) / 10))
    b_m, a_h = 4 * math.exp(-(V + 65) / 18), 0.07 * math.exp(-(V + 65) / 20)
    b_h, b_n = 1 / (1 + math.exp(-(V + 35) / 10)), 0.125 * math.exp(-(V + 65) / 80)
    ionic = 120 * m**3 * h * (V - 50) + 36 * n**4 * (V + 77) + 0.3 * (V + 54.387)
    return [current - ionic, a_m * (1 - m) - b_m * m, a_h * (1 - h) - b_h * h, a_n * (1 - n) - b_n * n]


def _hh_steady(V):
    rates = _hh_rhs(0.0, [V, 0.0, 0.0, 0.0], 0.0)[1:]  # α_x(1 − 0) − β_x·0 = α_x
    closing = [a - d for a, d in zip(rates, _hh_rhs(0.0, [V, 1.0, 1.0, 1.0], 0.0)[1:])]  # α + β
    return [a / s for a, s in zip(rates, closing)]


def _scipy_hh(current, T, V0=-65.0):
    from scipy.integrate import solve_ivp

    t = np.arange(0.0, T, 0.01)
    sol = solve_ivp(_hh_rhs, (0.0, T), [V0, *_hh_steady(V0)], args=(current,), t_eval=t, method="LSODA",
                    rtol=1e-9, atol=1e-9)
    return sol.y


@pytest.mark.parametrize("V0", [-65.0, -70.0, -55.0, -40.0])
def test_hh_starts_with_gates_at_steady_state(V0):
    run = hh_simulate(0.0, T=0.05, V0=V0)
    assert run["V"][0] == V0
    np.testing.assert_allclose([run[k][0] for k in "mhn"], _hh_steady(V0), rtol=1e-12)


def test_hh_spike_count_and_peak_at_10_match_scipy():
    run = hh_simulate(10.0, T=200.0)
    V_scipy = _scipy_hh(10.0, 200.0)[0]
    assert count_spikes(run["V"]) == count_spikes(V_scipy) == 14
    assert run["V"].max() == pytest.approx(V_scipy.max(), abs=1.0)
    assert 20.0 <= run["V"].max() <= 55.0


def test_hh_euler_converges_to_scipy_at_first_order():
    exact = _scipy_hh(10.0, 1.5)[0]  # before the upstroke, where a timing shift is amplified
    errors = [np.abs(hh_simulate(10.0, T=1.5, dt=0.01 / k)["V"][::k] - exact).max() for k in (1, 2, 4)]
    assert errors[0] < 0.3
    assert 1.8 < errors[0] / errors[1] < 2.2 and 1.8 < errors[1] / errors[2] < 2.2


def test_hh_rests_without_input_and_stays_silent_below_threshold():
    rest = hh_simulate(0.0, T=200.0)["V"]
    assert abs(rest[-1] + 65.0) <= 0.5 and count_spikes(rest) == 0
    assert count_spikes(hh_simulate(2.0, T=500.0)["V"]) == 0
    assert count_spikes(hh_simulate(6.0, T=500.0)["V"]) <= 2


def test_hh_repetitive_firing_threshold_lies_between_6_and_6_5():
    assert count_spikes(hh_simulate(6.0, T=200.0)["V"]) <= 2
    assert count_spikes(hh_simulate(6.5, T=200.0)["V"]) >= 8


def test_hh_rates_match_the_prototype_and_increase():
    counts = [count_spikes(hh_simulate(I, T=200.0)["V"]) for I in (10.0, 20.0, 50.0)]
    assert counts == [14, 18, 24]  # 70, 90, 120 Hz (prototype 70/88/118 Hz over longer runs)


def test_hh_gates_stay_in_unit_interval_and_halving_dt_keeps_the_count():
    run = hh_simulate(50.0, T=200.0)
    for key in "mhn":
        assert np.all((run[key] >= 0) & (run[key] <= 1))
    fine = hh_simulate(10.0, T=200.0, dt=0.005)["V"]
    assert abs(count_spikes(fine) - 14) <= 1


@pytest.mark.parametrize("V0", [-55.0, -40.0])
def test_hh_removable_singularity_is_finite_and_continuous(V0):
    exact, nearby = hh_simulate(0.0, T=5.0, V0=V0), hh_simulate(0.0, T=5.0, V0=V0 + 1e-7)
    for key in ("V", "m", "h", "n"):
        assert np.all(np.isfinite(exact[key]))
        np.testing.assert_allclose(exact[key], nearby[key], rtol=1e-5, atol=1e-6)


def test_hh_step_current_is_read_at_the_time_in_ms():
    run = hh_simulate(lambda t: 10.0 if t >= 50.0 else 0.0, T=100.0)
    np.testing.assert_array_equal(run["V"][:5000], hh_simulate(0.0, T=50.0)["V"])
    assert count_spikes(run["V"][:5000]) == 0 and count_spikes(run["V"]) >= 3
    np.testing.assert_allclose(run["t"], np.arange(10_000) * 0.01)


def test_count_spikes_counts_upward_crossings_only():
    assert count_spikes(np.array([-65.0, 10.0, 20.0, -70.0, 0.0, -5.0])) == 2
    assert count_spikes(np.array([5.0, -5.0])) == 0
    assert count_spikes(np.array([-30.0, -10.0, -40.0, -20.0]), thr=-20.0) == 2


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: hh_simulate(1.0, dt=0.0), "dt"),
        (lambda: hh_simulate(1.0, dt=0.1), "dt"),
        (lambda: hh_simulate(1.0, T=0.001), "T"),
        (lambda: hh_simulate(1.0, V0=float("nan")), "V0"),
        (lambda: hh_simulate(float("inf")), "I"),
        (lambda: count_spikes(np.ones((2, 2))), "V"),
        (lambda: count_spikes(np.ones(3), thr=float("nan")), "thr"),
    ],
)
def test_hh_invalid_inputs_raise_naming_the_input(call, name):
    with pytest.raises(ValueError, match=rf"^{name} should"):
        call()


def test_hh_current_that_is_neither_number_nor_callable_is_refused():
    with pytest.raises(TypeError, match="^I should be a real number"):
        hh_simulate("10 uA")


# ---- ch05.v1_gabor -------------------------------------------------------------------------------
# Oracles: the Gabor formula evaluated pixel by pixel with math (x = column − c, y = row − c),
# scipy.signal.correlate2d for the inner products ⟨g, img⟩, and the prototype's facts of
# CURRICULUM §5 (argmax at π/3 over 36 orientations, phase invariance of the energy within 2 %).


def _pixel_gabor(size, theta, wavelength, sigma, gamma=0.5, psi=0.0):
    c = (size - 1) / 2
    out = np.empty((size, size))
    for row in range(size):
        for col in range(size):
            x, y = col - c, row - c
            xr, yr = x * math.cos(theta) + y * math.sin(theta), -x * math.sin(theta) + y * math.cos(theta)
            out[row, col] = math.exp(-(xr**2 + gamma**2 * yr**2) / (2 * sigma**2)) * math.cos(
                2 * math.pi * xr / wavelength + psi)
    return out


def _inner(g, img):
    from scipy.signal import correlate2d

    return float(correlate2d(img, g, mode="valid")[0, 0])


@pytest.mark.parametrize("args", [(15, math.pi / 3, 6.0, 3.0, 0.5, 0.0), (9, 2.5, 5.0, 2.0, 1.0, 0.7),
                                  (1, 0.4, 3.0, 1.0, 0.5, 0.3)])
def test_gabor_matches_the_pixel_formula(args):
    np.testing.assert_allclose(gabor(*args), _pixel_gabor(*args), rtol=1e-13, atol=1e-15)


def test_gabor_symmetries():
    np.testing.assert_allclose(gabor(21, 0.3 + math.pi, 7.0, 3.0), gabor(21, 0.3, 7.0, 3.0), atol=1e-14)
    np.testing.assert_allclose(gabor(21, math.pi / 2 - 0.3, 7.0, 3.0, psi=0.4).T, gabor(21, 0.3, 7.0, 3.0, psi=0.4),
                               atol=1e-14)  # transposing swaps x and y, i.e. θ and π/2 − θ
    even, odd = gabor(25, 1.1, 7.0, 3.5), gabor(25, 1.1, 7.0, 3.5, psi=math.pi / 2)
    assert abs(np.sum(even * odd)) <= 1e-6 * np.linalg.norm(even) * np.linalg.norm(odd)


def test_grating_is_the_gabor_carrier():
    wide = gabor(11, 0.8, 5.0, 1e6, psi=0.3)  # an envelope of width 10⁶ px is 1 on the grid
    np.testing.assert_allclose(grating(11, 0.8, 5.0, 0.3), wide, atol=1e-9)


def test_cells_match_scipy_correlation():
    rng = np.random.default_rng(7)
    for img in (rng.normal(size=(15, 15)), grating(15, 1.0, 6.0, 0.2)):
        even, odd = (_inner(_pixel_gabor(15, 1.0, 6.0, 3.0, psi=psi), img) for psi in (0.0, math.pi / 2))
        assert simple_cell(img, 1.0, 6.0, 3.0) == pytest.approx(max(even, 0.0), rel=1e-10, abs=1e-12)
        assert simple_cell(-img, 1.0, 6.0, 3.0) == pytest.approx(max(-even, 0.0), rel=1e-10, abs=1e-12)
        assert complex_cell(img, 1.0, 6.0, 3.0) == pytest.approx(even**2 + odd**2, rel=1e-10)


def test_orientation_tuning_peaks_at_pi_over_3_and_narrows_with_sigma():
    thetas = np.arange(36) * math.pi / 36
    curve = tuning_curve(lambda img: complex_cell(img, math.pi / 3, 8.0, 4.0), thetas, size=31, wavelength=8.0)
    assert int(np.argmax(curve)) == 12
    off = [tuning_curve(lambda img, s=s: complex_cell(img, math.pi / 3, 8.0, s),
                        np.array([math.pi / 3, math.pi / 3 + math.pi / 18]), size=31, wavelength=8.0)
           for s in (2.0, 4.0, 8.0)]
    ratios = [o[1] / o[0] for o in off]
    assert ratios[0] > ratios[1] > ratios[2]


def test_complex_cell_ignores_phase_while_the_simple_cell_does_not():
    phases = np.arange(8) * math.pi / 4
    energy = [complex_cell(grating(31, math.pi / 3, 8.0, p), math.pi / 3, 8.0, 4.0) for p in phases]
    simple = [simple_cell(grating(31, math.pi / 3, 8.0, p), math.pi / 3, 8.0, 4.0) for p in phases]
    assert np.ptp(energy) / max(energy) < 0.02
    assert max(simple) > 0 and min(simple) <= 1e-9 * max(simple)


def test_tuning_curve_applies_the_cell_to_each_grating():
    thetas = np.array([0.0, 0.7, 2.0])
    curve = tuning_curve(lambda img: img[1, 2], thetas, size=5, wavelength=3.0, phase=0.5)
    np.testing.assert_array_equal(curve, [grating(5, t, 3.0, 0.5)[1, 2] for t in thetas])


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: gabor(4, 0.0, 4.0, 2.0), "size"),
        (lambda: gabor(0, 0.0, 4.0, 2.0), "size"),
        (lambda: gabor(5, 0.0, 0.0, 2.0), "wavelength"),
        (lambda: gabor(5, 0.0, 4.0, -1.0), "sigma"),
        (lambda: gabor(5, 0.0, 4.0, 1.0, gamma=0.0), "gamma"),
        (lambda: gabor(5, float("nan"), 4.0, 1.0), "theta"),
        (lambda: grating(5, 0.0, 4.0, float("inf")), "phase"),
        (lambda: simple_cell(np.ones((4, 5)), 0.0, 4.0, 1.0), "img"),
        (lambda: complex_cell(np.ones((4, 4)), 0.0, 4.0, 1.0), "img"),
        (lambda: tuning_curve(np.sum, np.ones((2, 2)), size=5, wavelength=3.0), "thetas"),
    ],
)
def test_v1_invalid_inputs_raise_naming_the_input(call, name):
    with pytest.raises(ValueError, match=rf"^{name} should"):
        call()


def test_tuning_curve_refuses_a_cell_that_is_not_callable():
    with pytest.raises(TypeError, match="^cell should be a callable"):
        tuning_curve("complex", np.zeros(3), size=5, wavelength=3.0)


# --------------------------------------------------------------------------- derivations (symbolic)
def test_lif_membrane_solves_the_ode_from_v0():
    """Oracle: sympy's dsolve of τV̇ = −(V − E_L) + RI with V(0) = V0."""
    import sympy as sp

    from geodl_ref.ch05 import derivations as d

    V = sp.Function("V")
    ode = sp.Eq(d.tau * V(d.t).diff(d.t), -(V(d.t) - d.E_L) + d.R * d.I)
    solved = sp.dsolve(ode, V(d.t), ics={V(0): d.V0}).rhs
    assert sp.simplify(solved - d.lif_membrane()) == 0


def test_lif_time_to_threshold_matches_the_rate_theory():
    """Oracle: lif_rate_theory's firing rate 1000/(t_ref + T) at the same parameters."""
    from geodl_ref.ch05 import derivations as d
    from geodl_ref.ch05.lif import lif_rate_theory

    values = {d.tau: 10.0, d.E_L: -65.0, d.R: 10.0, d.I: 2.5, d.V_reset: -70.0, d.V_th: -50.0}
    T = float(d.lif_time_to_threshold().subs(values))
    rate = lif_rate_theory(2.5, tau=10.0, E_L=-65.0, V_th=-50.0, V_reset=-70.0, R=10.0, t_ref=2.0)
    assert rate == pytest.approx(1000.0 / (2.0 + T), rel=1e-12)


def test_gate_relaxes_to_its_steady_state_with_its_time_constant():
    """Oracle: the gate ODE dm/dt = α(1 − m) − βm written as (m∞ − m)/τ_m, identically in m."""
    import sympy as sp

    from geodl_ref.ch05 import derivations as d

    m = sp.Symbol("m")
    lhs = d.alpha * (1 - m) - d.beta * m
    rhs = (d.gate_steady_state() - m) / d.gate_time_constant()
    assert sp.simplify(lhs - rhs) == 0
