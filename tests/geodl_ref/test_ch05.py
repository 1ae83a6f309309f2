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

from geodl_ref.ch05.lif import lif_rate_theory, lif_simulate

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
