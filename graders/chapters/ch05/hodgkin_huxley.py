"""ch05.hodgkin_huxley — the Hodgkin–Huxley neuron by forward Euler, and its spike counts."""
from __future__ import annotations

import numpy as np

from graders.authoring import Array, Exercise, Int, Record, assert_close, expect

exercise = Exercise(module="ch05.hh", functions=("hh_simulate", "count_spikes"),
                    forbidden=("torch", "scipy", "sympy"), title="The Hodgkin–Huxley neuron")

_KEYS = ("t", "V", "m", "h", "n")


def _run(T: float, dt: float) -> Record:
    """hh_simulate's answer for T ms at step dt: five arrays of round(T/dt) samples."""
    N = round(T / dt)
    return Record(**{key: Array((N,), label=key) for key in _KEYS})


def _count(V: np.ndarray) -> int:
    """Upward crossings of 0 mV, counted here (not by the student's count_spikes)."""
    return int(np.count_nonzero((V[:-1] < 0.0) & (V[1:] >= 0.0)))


def _finite(run: dict, call: str) -> None:
    """Every array of the trajectory is finite."""
    for key in _KEYS:
        expect(bool(np.all(np.isfinite(run[key]))), f"{call}: {key} should be finite (NaN or inf found)")


# ---- counting spikes ------------------------------------------------------------------------------

_TRACES = [
    (np.array([-65.0, 10.0, 20.0, -70.0, 0.0, -5.0, 30.0]), 0.0),
    (np.array([5.0, -5.0, 5.0, 5.0, -1.0]), 0.0),
    (np.array([-65.0, -30.0, -10.0, -40.0, -19.0, -20.0]), -20.0),
    (np.array([-65.0, -64.0]), 0.0),
]


@exercise.check(points=1)
def count_spikes_counts_upward_crossings(ctx):
    """count_spikes(V, thr) counts the upward crossings V[i − 1] < thr ≤ V[i]: not downward ones,
    not a start above thr, and a sample exactly at thr counts (four short traces, thr = 0 or −20 mV)."""
    got = ctx.map("count_spikes", _TRACES, returns=Int())
    for (V, thr), count in zip(_TRACES, got):
        expect(count == ctx.ref.count_spikes(V, thr),
               f"count_spikes({V.tolist()}, thr={thr:g}) = {count}; should be {ctx.ref.count_spikes(V, thr)}")


# ---- the equations, step by step -------------------------------------------------------------------

@exercise.check(points=2)
def gates_start_at_steady_state(ctx):
    """hh_simulate starts at t = 0 with V = V0 and each gate at its steady state
    x_∞(V0) = α_x/(α_x + β_x), for V0 ∈ {−65, −70, −50} mV (relative 1e-9)."""
    T, dt, starts = 0.1, 0.01, (-65.0, -70.0, -50.0)
    runs = ctx.map("hh_simulate", [(0.0, T, dt, V0) for V0 in starts], returns=_run(T, dt))
    for V0, run in zip(starts, runs):
        want = ctx.ref.hh_simulate(0.0, T, dt, V0)
        for key in _KEYS:
            assert_close(run[key][0], want[key][0], rtol=1e-9, atol=1e-12,
                         name=f"hh_simulate(0, T={T:g}, dt={dt:g}, V0={V0:g})[{key!r}][0]")


@exercise.check(points=3)
def first_milliseconds_match_reference(ctx):
    """Over the first 3 ms under I = 10 μA/cm² (dt = 0.01 ms; the upstroke of the first spike),
    hh_simulate's t, V, m, h and n are the forward-Euler trajectory of the reference, which updates
    V and the three gates together from the values at t_i (relative 1e-8 of each array's scale)."""
    T, dt = 3.0, 0.01
    run = ctx.call("hh_simulate", 10.0, T, dt, returns=_run(T, dt))
    want = ctx.ref.hh_simulate(10.0, T, dt)
    for key in _KEYS:
        assert_close(run[key], want[key], rtol=1e-8, name=f"hh_simulate(10.0, T={T:g}, dt={dt:g})[{key!r}]")


@exercise.check(points=2)
def singular_starts_stay_finite(ctx):
    """Starting exactly at V0 = −55 or −40 mV, where α_n and α_m are 0/0 (their limits are 0.1 and
    1 per ms), hh_simulate stays finite and follows the reference over 5 ms (relative 1e-8)."""
    T, dt, starts = 5.0, 0.01, (-55.0, -40.0)
    runs = ctx.map("hh_simulate", [(0.0, T, dt, V0) for V0 in starts], returns=_run(T, dt))
    for V0, run in zip(starts, runs):
        call = f"hh_simulate(0.0, T={T:g}, dt={dt:g}, V0={V0:g})"
        _finite(run, call)
        want = ctx.ref.hh_simulate(0.0, T, dt, V0)
        for key in ("V", "m", "n"):
            assert_close(run[key], want[key], rtol=1e-8, name=f"{call}[{key!r}]")


# ---- the physiology ---------------------------------------------------------------------------------

@exercise.check(points=1)
def rest_is_stable(ctx):
    """Without input (I = 0) the neuron stays at rest: V within −65 ± 0.5 mV for all of 100 ms
    (dt = 0.01 ms), and no spike."""
    T, dt = 100.0, 0.01
    run = ctx.call("hh_simulate", 0.0, T, dt, returns=_run(T, dt))
    _finite(run, "hh_simulate(0.0, T=100)")
    V = run["V"]
    expect(bool(np.all(np.abs(V + 65.0) <= 0.5)),
           f"hh_simulate(0.0, T=100): V should stay within −65 ± 0.5 mV; it ranges over [{V.min():.4g}, {V.max():.4g}]")


@exercise.check(points=2)
def threshold_for_repetitive_firing(ctx):
    """Over 200 ms at dt = 0.01 ms: I = 2 μA/cm² fires no spike, I = 6 at most 2, and I = 6.5
    fires repetitively (at least 8 spikes): the threshold for repetitive firing lies in (6.0, 6.5]
    (spikes counted here as upward crossings of 0 mV)."""
    T, dt = 200.0, 0.01
    currents, bounds = (2.0, 6.0, 6.5), ((0, 0), (0, 2), (8, 10**6))
    runs = ctx.map("hh_simulate", [(I, T, dt) for I in currents], returns=_run(T, dt))
    for I, (low, high), run in zip(currents, bounds, runs):
        call = f"hh_simulate({I}, T={T:g}, dt={dt:g})"
        _finite(run, call)
        count = _count(run["V"])
        expect(low <= count <= high, f"{call} fired {count} spikes; should be "
                                     + (f"{low}" if low == high else f"≤ {high}" if low == 0 else f"≥ {low}"))


@exercise.check(points=2)
def rate_and_peak_at_10(ctx):
    """At I = 10 μA/cm² the neuron fires at 60–80 Hz (12 to 16 spikes in 200 ms at dt = 0.01 ms;
    the reference fires 14), each spike peaking in [20, 55] mV (about +40.5 mV)."""
    T, dt = 200.0, 0.01
    run = ctx.call("hh_simulate", 10.0, T, dt, returns=_run(T, dt))
    call = f"hh_simulate(10.0, T={T:g}, dt={dt:g})"
    _finite(run, call)
    count, peak = _count(run["V"]), float(run["V"].max())
    expect(12 <= count <= 16, f"{call} fired {count} spikes in 200 ms; should be 12 to 16 (60–80 Hz)")
    expect(20.0 <= peak <= 55.0, f"{call}: the highest V is {peak:.4g} mV; a spike should peak in [20, 55] mV")


@exercise.check(points=1, depends_on="rate_and_peak_at_10")
def rate_grows_with_current(ctx):
    """The firing rate strictly increases over I ∈ {10, 20, 50} μA/cm² (about 70, 90 and 120 Hz:
    spikes in 200 ms at dt = 0.01 ms); counts once rate_and_peak_at_10 passes."""
    T, dt, currents = 200.0, 0.01, (10.0, 20.0, 50.0)
    runs = ctx.map("hh_simulate", [(I, T, dt) for I in currents], returns=_run(T, dt))
    counts = [_count(run["V"]) for run in runs]
    expect(counts[0] < counts[1] < counts[2],
           f"hh_simulate fired {counts} spikes in 200 ms at I = 10, 20, 50; the counts should strictly increase")


@exercise.check(points=1, depends_on="first_milliseconds_match_reference")
def gates_stay_in_unit_interval(ctx):
    """The gates m, h and n stay in [0, 1] over 200 ms at I = 50 μA/cm²; counts once
    first_milliseconds_match_reference passes."""
    T, dt = 200.0, 0.01
    run = ctx.call("hh_simulate", 50.0, T, dt, returns=_run(T, dt))
    _finite(run, "hh_simulate(50.0, T=200)")
    for key in ("m", "h", "n"):
        gate = run[key]
        expect(bool(np.all((gate >= 0) & (gate <= 1))),
               f"hh_simulate(50.0, T=200): {key} should stay in [0, 1]; "
               f"it ranges over [{gate.min():.6g}, {gate.max():.6g}]")


@exercise.check(points=1, visibility="hidden", depends_on="rate_and_peak_at_10")
def halving_dt_keeps_the_count(ctx):
    """Halving the step to dt = 0.005 ms changes the spike count of 200 ms at I = 10 by at most 1."""
    T = 200.0
    coarse, fine = (ctx.call("hh_simulate", 10.0, T, dt, returns=_run(T, dt)) for dt in (0.01, 0.005))
    counts = (_count(coarse["V"]), _count(fine["V"]))
    expect(abs(counts[0] - counts[1]) <= 1, f"hh_simulate(10.0, T=200) fired {counts[0]} spikes at dt = 0.01 "
                                            f"and {counts[1]} at dt = 0.005; they should agree within 1")


@exercise.check(points=1)
def step_current_read_in_ms(ctx):
    """With I a callable of the time in ms stepping from 0 to 10 μA/cm² at t = 50 ms, the neuron
    rests until 50 ms (as the reference's run at I = 0), then fires like the reference (±1 spike in 100 ms)."""
    T, dt = 100.0, 0.01
    current = ctx.function("lambda t: 10.0 if t >= 50.0 else 0.0")
    run = ctx.call("hh_simulate", current, T, dt, returns=_run(T, dt))
    before = ctx.ref.hh_simulate(0.0, 50.0, dt)["V"]
    assert_close(run["V"][:len(before)], before, rtol=1e-9, name="V before the step at 50 ms")
    want = ctx.ref.count_spikes(ctx.ref.hh_simulate(10.0, 50.0, dt)["V"])
    count = _count(run["V"])
    expect(abs(count - want) <= 1, f"after the step the neuron fired {count} spikes; the reference fires {want} (±1)")
