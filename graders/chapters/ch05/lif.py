"""ch05.lif — the leaky integrate-and-fire neuron by forward Euler, and its closed-form rate."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from graders.authoring import Array, Exercise, Float, Tuple, assert_close, expect

exercise = Exercise(module="ch05.lif", functions=("lif_simulate", "lif_rate_theory"),
                    forbidden=("torch", "scipy", "sympy"), title="The leaky integrate-and-fire neuron")

#: The neuron's parameters in lif_simulate's positional order after (I, T, dt), at their defaults.
_DEFAULTS = {"tau": 10.0, "E_L": -65.0, "V_th": -50.0, "V_reset": -70.0, "R": 10.0, "t_ref": 2.0}
#: A neuron unlike the default one (every parameter changed), for checks that catch hard-coded values.
_OTHER = {"tau": 20.0, "E_L": -70.0, "V_th": -54.0, "V_reset": -80.0, "R": 5.0, "t_ref": 3.0}


def _theory_args(I: float, **changes: float) -> tuple[float, ...]:
    """lif_rate_theory's positional arguments (I, tau, E_L, V_th, V_reset, R, t_ref)."""
    return (I, *{**_DEFAULTS, **changes}.values())


def _sim_args(I: float, T: float, dt: float, **changes: float) -> tuple[float, ...]:
    """lif_simulate's positional arguments (I, T, dt, tau, E_L, V_th, V_reset, R, t_ref)."""
    return (I, T, dt, *{**_DEFAULTS, **changes}.values())


def _trace(T: float, dt: float) -> Tuple:
    """lif_simulate's answer for a run of T ms at step dt: spike times (k,) and V (round(T/dt),)."""
    return Tuple(Array(ndim=1, label="spike_times"), Array((round(T / dt),), label="V"))


def _expect_spike_train(spikes: np.ndarray, T: float, call: str) -> None:
    """Spike times are finite, strictly increasing, inside (0, T) and in ms."""
    expect(np.all(np.isfinite(spikes)), f"{call}: the spike times should be finite; got {spikes[:5]}...")
    lowest, highest = spikes.min(initial=np.inf), spikes.max(initial=-np.inf)
    expect(np.all((spikes > 0) & (spikes < T)),
           f"{call}: the spike times should lie in (0, T = {T:g}) ms; got values from {lowest:.6g} to {highest:.6g}")
    expect(np.all(np.diff(spikes) > 0), f"{call}: the spike times should be strictly increasing")


# ---- the closed-form rate (CURRICULUM §0: closed forms at rtol 1e-10) -----------------------------

_THEORY_CASES = [
    _theory_args(1.6), _theory_args(2.0), _theory_args(3.0), _theory_args(5.0), _theory_args(50.0),
    _theory_args(2.0, V_reset=-65.0), _theory_args(2.0, tau=25.0), _theory_args(2.0, t_ref=0.0),
    _theory_args(3.0, t_ref=5.0), _theory_args(2.0, V_th=-55.0), _theory_args(4.0, **_OTHER),
]


@exercise.check(points=2)
def theory_matches_closed_form(ctx):
    """lif_rate_theory(I, tau, E_L, V_th, V_reset, R, t_ref) is the rate in Hz,
    1000 / (t_ref + τ ln((RI + E_L − V_reset)/(RI + E_L − V_th))), for currents above threshold and
    for every parameter changed in turn (relative 1e-10)."""
    got = ctx.map("lif_rate_theory", _THEORY_CASES, returns=Float())
    for args, rate in zip(_THEORY_CASES, got):
        assert_close(rate, ctx.ref.lif_rate_theory(*args), rtol=1e-10, name=f"lif_rate_theory{args}")


@exercise.check(points=1)
def theory_is_zero_at_or_below_threshold(ctx):
    """lif_rate_theory is exactly 0 Hz when RI ≤ V_th − E_L (I ∈ {−1, 0, 0.5, 1, 1.5} nA with
    R = 10 MΩ: the potential settles at or below threshold), and positive just above (I = 1.51)."""
    currents = [-1.0, 0.0, 0.5, 1.0, 1.5, 1.51]
    got = ctx.map("lif_rate_theory", [(I,) for I in currents], returns=Float())
    for I, rate in zip(currents[:-1], got[:-1]):
        expect(rate == 0.0, f"lif_rate_theory({I}) should be 0 (RI = {10 * I:g} mV ≤ V_th − E_L = 15 mV); got {rate!r}")
    expect(np.isfinite(got[-1]) and got[-1] > 0,
           f"lif_rate_theory(1.51) should be a positive rate (RI = 15.1 mV > 15 mV); got {got[-1]!r}")


_positive = st.floats(0.5, 30.0)


@exercise.check(points=1, visibility="hidden", max_examples=25,
                given={"I": st.floats(0.0, 20.0), "tau": _positive, "E_L": st.floats(-80.0, -55.0),
                       "gap": st.floats(1.0, 30.0), "below": st.floats(0.0, 20.0), "R": st.floats(1.0, 20.0),
                       "t_ref": st.floats(0.0, 10.0)})
def theory_for_random_parameters(ctx, I, tau, E_L, gap, below, R, t_ref):
    """lif_rate_theory equals the closed form for random parameters (relative 1e-10, 0 below threshold)."""
    args = (I, tau, E_L, E_L + gap, E_L - below, R, t_ref)  # V_th above rest, V_reset at or below rest
    assert_close(ctx.call("lif_rate_theory", *args, returns=Float()), ctx.ref.lif_rate_theory(*args),
                 rtol=1e-10, atol=1e-12, name=f"lif_rate_theory{args}")


# ---- the simulation against the theory ------------------------------------------------------------

def _expect_rate(spikes: np.ndarray, T: float, theory_hz: float, call: str) -> None:
    """The number of spikes in T ms is the theoretical count within max(2 %, 1 spike)."""
    want = theory_hz * T / 1000.0
    tolerance = max(0.02 * want, 1.0)
    expect(abs(len(spikes) - want) <= tolerance,
           f"{call} fired {len(spikes)} spikes in {T:g} ms; the theory (lif_rate_theory, Hz) gives "
           f"{want:.2f} (tolerance ±{tolerance:.2f})")


@exercise.check(points=3)
def rates_match_theory(ctx):
    """Over T = 1000 ms at dt = 0.01 ms, lif_simulate fires at the theoretical rate within
    max(2 %, 1 spike) for I ∈ {1.6, 2, 3, 5} nA (about 31, 55, 95 and 153 Hz with V_reset = −70 mV),
    with spike times in ms, increasing, inside (0, T)."""
    T, dt, currents = 1000.0, 0.01, (1.6, 2.0, 3.0, 5.0)
    runs = ctx.map("lif_simulate", [_sim_args(I, T, dt) for I in currents], returns=_trace(T, dt))
    for I, (spikes, _V) in zip(currents, runs):
        call = f"lif_simulate({I}, T={T:g}, dt={dt:g})"
        _expect_spike_train(spikes, T, call)
        _expect_rate(spikes, T, ctx.ref.lif_rate_theory(I), call)


@exercise.check(points=2, visibility="hidden")
def rates_match_theory_other_parameters(ctx):
    """With every parameter changed (τ = 20 ms, E_L = −70, V_th = −54, V_reset = −80 mV, R = 5 MΩ,
    t_ref = 3 ms), lif_simulate over 1000 ms at dt = 0.02 ms fires at lif_rate_theory's rate within
    max(2 %, 1 spike) for I ∈ {4, 8} nA."""
    T, dt, currents = 1000.0, 0.02, (4.0, 8.0)
    runs = ctx.map("lif_simulate", [_sim_args(I, T, dt, **_OTHER) for I in currents], returns=_trace(T, dt))
    for I, (spikes, _V) in zip(currents, runs):
        call = f"lif_simulate({I}, T={T:g}, dt={dt:g}, tau=20, E_L=-70, V_th=-54, V_reset=-80, R=5, t_ref=3)"
        _expect_spike_train(spikes, T, call)
        _expect_rate(spikes, T, ctx.ref.lif_rate_theory(*_theory_args(I, **_OTHER)), call)


@exercise.check(points=1, visibility="hidden", depends_on="rates_match_theory")
def halving_dt_changes_rate_little(ctx):
    """Halving the step from dt = 0.02 to 0.01 ms changes the spike count of 1000 ms at I = 5 nA by
    less than 1 %; counts once rates_match_theory passes."""
    T, steps = 1000.0, (0.02, 0.01)
    coarse, fine = (ctx.call("lif_simulate", *_sim_args(5.0, T, dt), returns=_trace(T, dt))[0] for dt in steps)
    expect(len(fine) > 0 and abs(len(coarse) - len(fine)) < 0.01 * len(fine),
           f"lif_simulate(5.0) fired {len(coarse)} spikes at dt = 0.02 and {len(fine)} at dt = 0.01 ms: "
           f"the count should change by less than 1 %")


# ---- reset, refractory period, threshold ----------------------------------------------------------

@exercise.check(points=2)
def held_at_reset_after_each_spike(ctx):
    """Half a refractory period after each spike, lif_simulate's V is exactly V_reset (−70 mV by
    default, not E_L = −65 mV; also with V_reset = −75 mV and t_ref = 5 ms), over 200 ms at I = 3 nA."""
    T, dt = 200.0, 0.01
    cases = [{}, {"V_reset": -75.0, "t_ref": 5.0}]
    runs = ctx.map("lif_simulate", [_sim_args(3.0, T, dt, **case) for case in cases], returns=_trace(T, dt))
    for case, (spikes, V) in zip(cases, runs):
        params = {**_DEFAULTS, **case}
        call = f"lif_simulate(3.0, T={T:g}, dt={dt:g}{''.join(f', {k}={v:g}' for k, v in case.items())})"
        _expect_spike_train(spikes, T, call)
        expect(len(spikes) >= 5, f"{call} should fire at least 5 spikes; got {len(spikes)}")
        middle = np.rint((spikes + params["t_ref"] / 2) / dt).astype(int)  # sample half a t_ref after each spike
        middle = middle[middle < len(V)]
        assert_close(V[middle], np.full(len(middle), params["V_reset"]), rtol=0, atol=1e-9,
                     name=f"{call}: V half a refractory period after each spike (should be V_reset)")


@exercise.check(points=2)
def refractory_period_bounds_isi(ctx):
    """Under a strong current (I = 100 nA, RI = 1000 mV) the neuron fires as fast as its refractory
    period allows: lif_simulate's interspike intervals are all ≥ t_ref, for t_ref = 2 and 5 ms
    (100 ms at dt = 0.01 ms, at least 10 spikes)."""
    T, dt, refractory = 100.0, 0.01, (2.0, 5.0)
    runs = ctx.map("lif_simulate", [_sim_args(100.0, T, dt, t_ref=t) for t in refractory], returns=_trace(T, dt))
    for t_ref, (spikes, _V) in zip(refractory, runs):
        call = f"lif_simulate(100.0, T={T:g}, dt={dt:g}, t_ref={t_ref:g})"
        _expect_spike_train(spikes, T, call)
        expect(len(spikes) >= 10, f"{call} should fire at least 10 spikes; got {len(spikes)}")
        shortest = float(np.diff(spikes).min())
        expect(shortest >= t_ref - 1e-9, f"{call}: the shortest interspike interval is {shortest:.6g} ms, "
                                         f"shorter than the refractory period t_ref = {t_ref:g} ms")


@exercise.check(points=1)
def voltage_stays_below_threshold(ctx):
    """The trace lif_simulate returns has round(T/dt) samples and stays in [V_reset, V_th): the
    value at threshold is replaced by V_reset, never stored (I ∈ {2, 5, 100} nA, 100 ms at dt = 0.01 ms)."""
    T, dt, currents = 100.0, 0.01, (2.0, 5.0, 100.0)
    runs = ctx.map("lif_simulate", [_sim_args(I, T, dt) for I in currents], returns=_trace(T, dt))
    for I, (_spikes, V) in zip(currents, runs):
        call = f"lif_simulate({I}, T={T:g}, dt={dt:g})"
        expect(np.all(np.isfinite(V)), f"{call}: V should be finite")
        expect(V.max() < _DEFAULTS["V_th"], f"{call}: max V = {V.max():.6g} mV should be below V_th = −50 mV")
        expect(V.min() >= _DEFAULTS["V_reset"] - 1e-9,
               f"{call}: min V = {V.min():.6g} mV should not go below V_reset = −70 mV")


@exercise.check(points=2)
def subthreshold_settles_at_rest_plus_RI(ctx):
    """Below threshold (RI < V_th − E_L) lif_simulate fires no spike and V settles at E_L + RI: within
    1e-3 mV from t = 10τ on (15τ at dt = 0.1 ms; I ∈ {0, 1, 1.45} nA with the defaults, and
    I = 2 nA with τ = 20 ms, E_L = −70 mV, R = 5 MΩ)."""
    dt = 0.1
    cases = [(0.0, {}), (1.0, {}), (1.45, {}), (2.0, {"tau": 20.0, "E_L": -70.0, "R": 5.0})]
    for I, case in cases:
        params = {**_DEFAULTS, **case}
        T = 15 * params["tau"]
        call = f"lif_simulate({I}, T={T:g}, dt={dt:g}{''.join(f', {k}={v:g}' for k, v in case.items())})"
        spikes, V = ctx.call("lif_simulate", *_sim_args(I, T, dt, **case), returns=_trace(T, dt))
        expect(len(spikes) == 0, f"{call} should fire no spike (RI < V_th − E_L); got {len(spikes)}")
        late = V[int(np.ceil(10 * params["tau"] / dt)):]
        assert_close(late, np.full(len(late), params["E_L"] + params["R"] * I), rtol=0, atol=1e-3,
                     name=f"{call}: V from t = 10τ on (should settle at E_L + RI)")


# ---- a time-varying current ---------------------------------------------------------------------

_ONSET, _AMPLITUDE, _STEP_T, _STEP_DT = 50.0, 3.0, 150.0, 0.05


@exercise.check(points=2)
def callable_current_read_in_ms(ctx):
    """lif_simulate takes I as a callable of the time in ms: a current stepping from 0 to 3 nA at
    t = 50 ms leaves V at rest (E_L) before the step, then fires as the reference does under a
    constant 3 nA started at t = 50 ms: the same number of spikes (±1) over 150 ms at dt = 0.05 ms,
    the first one within 0.2 ms of the reference's."""
    current = ctx.function(f"lambda t: {_AMPLITUDE!r} if t >= {_ONSET!r} else 0.0")
    spikes, V = ctx.call("lif_simulate", current, _STEP_T, _STEP_DT, returns=_trace(_STEP_T, _STEP_DT))
    _, rest = ctx.ref.lif_simulate(0.0, _ONSET, _STEP_DT)  # the trace before the step: at rest
    after, _ = ctx.ref.lif_simulate(_AMPLITUDE, _STEP_T - _ONSET, _STEP_DT)  # the run after it, from rest
    want = _ONSET + after
    call = f"lif_simulate(lambda t: 3.0 if t >= 50.0 else 0.0, T={_STEP_T:g}, dt={_STEP_DT:g})"
    assert_close(V[:len(rest)], rest, rtol=0, atol=1e-9, name=f"{call}: V before the step at 50 ms")
    _expect_spike_train(spikes, _STEP_T, call)
    expect(abs(len(spikes) - len(want)) <= 1,
           f"{call} fired {len(spikes)} spikes; the reference fires {len(want)} (±1 accepted)")
    expect(len(spikes) > 0 and abs(spikes[0] - want[0]) <= 0.2,
           f"{call}: the first spike should come at {want[0]:.2f} ms (±0.2), about 7 ms after the "
           f"step; got {spikes[0] if len(spikes) else 'none'}")
