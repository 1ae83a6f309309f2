"""The leaky integrate-and-fire (LIF) neuron (chapter 5), simulated by forward Euler; numpy only.

Below threshold the membrane potential V (mV) of a LIF neuron relaxes towards its rest E_L,
driven by an input current I (nA) through a membrane resistance R (MΩ):

    τ dV/dt = −(V − E_L) + R I(t)        (τ in ms; R I in mV, since MΩ × nA = mV)

When V reaches the threshold V_th the neuron fires a spike: V jumps to V_reset and is held there
for a refractory period t_ref, after which it integrates again. Time is in milliseconds
throughout; only a firing *rate* is in Hz (spikes per second, so 1000 / period in ms).

For a constant current the time from V_reset to V_th solves the linear ODE in closed form, which
gives the theoretical rate that the simulation is checked against:

    rate = 1000 / (t_ref + τ ln((R I + E_L − V_reset) / (R I + E_L − V_th)))   if R I > V_th − E_L,

and 0 otherwise (V then settles at E_L + R I, below threshold, and never fires).
"""
from __future__ import annotations

import math
from typing import Callable, Union

import numpy as np

from geodl_ref._validation import check_scalar

__all__ = ["lif_rate_theory", "lif_simulate"]

#: A current in nA: a constant, or a function of the time t in ms.
Current = Union[float, Callable[[float], float]]


def lif_simulate(
    I: Current,  # noqa: E741 - the book's name for the current
    T: float = 1000.0,
    dt: float = 0.01,
    tau: float = 10.0,
    E_L: float = -65.0,
    V_th: float = -50.0,
    V_reset: float = -70.0,
    R: float = 10.0,
    t_ref: float = 2.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Simulate a LIF neuron by forward Euler and return its spike times and voltage trace.

    The trace has ``n = round(T / dt)`` samples, ``V[i]`` at time ``t_i = i·dt`` (ms), starting at
    rest, ``V[0] = E_L``. One Euler step from ``t_i`` is
    ``V ← V + (dt / τ)(−(V − E_L) + R I(t_i))``. When the new value reaches the threshold
    (``V ≥ V_th``), a spike is recorded at ``t_{i+1}``, the stored value is ``V_reset``, and V is
    held at ``V_reset`` for ``t_ref`` ms (``round(t_ref / dt)`` further samples) before it
    integrates again. The stored trace therefore never reaches ``V_th``.

    Parameters
    ----------
    I : float or callable
        The input current in nA: a constant, or a callable ``I(t)`` of the time ``t`` in ms (a
        Python float) that returns the current in nA at that time.
    T : float, default 1000.0
        Duration of the simulation in ms, T >= dt.
    dt : float, default 0.01
        Euler time step in ms, dt > 0.
    tau : float, default 10.0
        Membrane time constant τ in ms, τ > 0.
    E_L : float, default -65.0
        Resting (leak reversal) potential in mV, and the initial potential.
    V_th : float, default -50.0
        Spike threshold in mV.
    V_reset : float, default -70.0
        Potential after a spike in mV, V_reset < V_th.
    R : float, default 10.0
        Membrane resistance in MΩ, R >= 0.
    t_ref : float, default 2.0
        Absolute refractory period in ms, t_ref >= 0.

    Returns
    -------
    spike_times : ndarray of shape (k,), float64
        The times of the k spikes in ms, increasing, in (0, T).
    V : ndarray of shape (round(T / dt),), float64
        The membrane potential in mV at the times ``i·dt``; every value is below ``V_th``.

    Raises
    ------
    ValueError
        If a parameter is out of its range (``dt <= 0``, ``T < dt``, ``tau <= 0``, ``R < 0``,
        ``t_ref < 0``, ``V_reset >= V_th``), naming it.
    TypeError
        If ``I`` is neither a real number nor a callable.

    Examples
    --------
    >>> spikes, V = lif_simulate(2.0, T=200.0, dt=0.01)
    >>> V.shape, len(spikes), round(float(spikes[0]), 2)
    ((20000,), 11, 13.86)
    >>> bool(V.max() < -50.0), float(V[0])
    (True, -65.0)
    >>> spikes, V = lif_simulate(lambda t: 2.0 if t >= 100.0 else 0.0, T=200.0, dt=0.01)
    >>> round(float(spikes[0]), 2)
    113.86
    >>> lif_simulate(1.0, dt=0.0)
    Traceback (most recent call last):
        ...
    ValueError: dt should be > 0; got dt=0.0
    """
    drive = _current(I)
    dt = check_scalar(dt, name="dt", lo=0, lo_open=True)
    T = check_scalar(T, name="T", lo=dt)
    tau, E_L, V_th, V_reset, R, t_ref = _check_neuron(tau, E_L, V_th, V_reset, R, t_ref)
    n = round(T / dt)
    ### BEGIN SOLUTION
    hold_steps = round(t_ref / dt)  # samples held at V_reset after the spike's own sample
    V = np.empty(n)  # (n,)
    V[0] = v = E_L
    spikes: list[float] = []
    held = 0
    for i in range(n - 1):
        if held:
            held -= 1  # refractory: V stays at V_reset
        else:
            v += dt / tau * (-(v - E_L) + R * drive(i * dt))  # forward Euler of τV̇ = −(V − E_L) + RI
            if v >= V_th:
                spikes.append((i + 1) * dt)
                v, held = V_reset, hold_steps
        V[i + 1] = v
    return np.array(spikes, dtype=float), V  # (k,), (n,)
    ### END SOLUTION


def lif_rate_theory(
    I: float,  # noqa: E741 - the book's name for the current
    tau: float = 10.0,
    E_L: float = -65.0,
    V_th: float = -50.0,
    V_reset: float = -70.0,
    R: float = 10.0,
    t_ref: float = 2.0,
) -> float:
    """The firing rate (Hz) of a LIF neuron under a constant current, in closed form.

    After a spike the potential restarts from ``V_reset`` once ``t_ref`` has passed, and relaxes
    towards ``V_∞ = E_L + R I``; it reaches ``V_th`` after ``τ ln((V_∞ − V_reset)/(V_∞ − V_th))`` ms.
    The rate is ``1000 / (t_ref + τ ln((V_∞ − V_reset)/(V_∞ − V_th)))`` spikes per second when
    ``V_∞ > V_th`` (``R I > V_th − E_L``), and 0 otherwise.

    Parameters
    ----------
    I : float
        The constant input current in nA.
    tau, E_L, V_th, V_reset, R, t_ref : float
        The neuron's parameters, in the units and with the defaults of :func:`lif_simulate`.

    Returns
    -------
    float
        The firing rate in Hz (spikes per second), >= 0.

    Raises
    ------
    ValueError
        If a parameter is out of its range (as for :func:`lif_simulate`), naming it.

    Examples
    --------
    >>> round(lif_rate_theory(2.0), 4)
    55.2658
    >>> lif_rate_theory(1.5)  # R I = 15 mV = V_th − E_L: V settles at threshold, never above
    0.0
    """
    I = check_scalar(I, name="I")  # noqa: E741
    tau, E_L, V_th, V_reset, R, t_ref = _check_neuron(tau, E_L, V_th, V_reset, R, t_ref)
    ### BEGIN SOLUTION
    V_inf = E_L + R * I  # where V would settle without a threshold
    if V_inf <= V_th:
        return 0.0
    climb = tau * math.log((V_inf - V_reset) / (V_inf - V_th))  # ms from V_reset to V_th
    return 1000.0 / (t_ref + climb)  # period in ms → spikes per second
    ### END SOLUTION


def _current(I: Current) -> Callable[[float], float]:  # noqa: E741
    """The current as a function of the time in ms: ``I`` itself if callable, else a constant."""
    if callable(I):
        return lambda t: float(I(t))
    value = check_scalar(I, name="I")
    return lambda t: value


def _check_neuron(tau: float, E_L: float, V_th: float, V_reset: float, R: float,
                  t_ref: float) -> tuple[float, float, float, float, float, float]:
    """The neuron's parameters as floats in their ranges, or ``ValueError`` naming the first that is not."""
    tau = check_scalar(tau, name="tau", lo=0, lo_open=True)
    E_L = check_scalar(E_L, name="E_L")
    V_th = check_scalar(V_th, name="V_th")
    V_reset = check_scalar(V_reset, name="V_reset", hi=V_th, hi_open=True)
    R = check_scalar(R, name="R", lo=0)
    t_ref = check_scalar(t_ref, name="t_ref", lo=0)
    return tau, E_L, V_th, V_reset, R, t_ref
