# ch05/hh.py: generated from geodl_ref by `geodl build`. Fill in the code marked YOUR CODE HERE.
"""The Hodgkin–Huxley neuron (chapter 5), simulated by forward Euler; numpy only.

The squid giant axon's model, with potentials shifted so that the rest is at −65 mV. Per unit of
membrane area (μA/cm², mS/cm², μF/cm²; V in mV, t in ms):

    C dV/dt = I(t) − ḡ_Na m³h (V − E_Na) − ḡ_K n⁴ (V − E_K) − ḡ_L (V − E_L)
    dx/dt   = α_x(V)(1 − x) − β_x(V) x          for each gate x ∈ {m, h, n}

with C = 1, ḡ_Na = 120, ḡ_K = 36, ḡ_L = 0.3, E_Na = 50, E_K = −77, E_L = −54.387 and the rates (1/ms)

    α_n = 0.01(V + 55)/(1 − e^{−(V+55)/10})     β_n = 0.125 e^{−(V+65)/80}
    α_m = 0.1(V + 40)/(1 − e^{−(V+40)/10})      β_m = 4 e^{−(V+65)/18}
    α_h = 0.07 e^{−(V+65)/20}                   β_h = 1/(1 + e^{−(V+35)/10})

α_n and α_m are 0/0 at V = −55 and V = −40 mV; their limits are 0.1 and 1 (the singularity is
removable). The gates start at their steady state x_∞(V0) = α_x/(α_x + β_x).
"""
from __future__ import annotations

import math
from typing import Callable, Union

import numpy as np

from ch05._validation import check_array, check_scalar

__all__ = ["count_spikes", "hh_simulate"]

#: A current density in μA/cm²: a constant, or a function of the time t in ms.
Current = Union[float, Callable[[float], float]]

C_M, G_NA, G_K, G_L = 1.0, 120.0, 36.0, 0.3  # μF/cm², mS/cm²
E_NA, E_K, E_LEAK = 50.0, -77.0, -54.387  # mV


def hh_simulate(I: Current, T: float = 200.0, dt: float = 0.01,  # noqa: E741 - the book's name
                V0: float = -65.0) -> dict[str, np.ndarray]:
    """Simulate the Hodgkin–Huxley neuron by forward Euler and return its trajectory.

    The trajectory has ``N = round(T / dt)`` samples at the times ``t_i = i·dt`` (ms), starting at
    ``V[0] = V0`` with every gate at its steady state there. One Euler step from ``t_i`` updates V
    and the three gates together, all from the values at ``t_i`` and the current ``I(t_i)``.

    Parameters
    ----------
    I : float or callable
        The injected current density in μA/cm²: a constant, or a callable ``I(t)`` of the time
        ``t`` in ms (a Python float).
    T : float, default 200.0
        Duration in ms, T >= dt.
    dt : float, default 0.01
        Euler time step in ms, 0 < dt <= 0.05 (forward Euler is unstable for larger steps).
    V0 : float, default -65.0
        Initial membrane potential in mV (−55 and −40, where α_n and α_m are 0/0, are allowed).

    Returns
    -------
    dict
        ``{"t", "V", "m", "h", "n"}``, each an ndarray of shape (N,), float64: the times (ms),
        the potential (mV) and the gates (in [0, 1]).

    Raises
    ------
    ValueError
        If ``dt``, ``T`` or ``V0`` is out of its range or not finite, naming it.
    TypeError
        If ``I`` is neither a real number nor a callable.

    Examples
    --------
    >>> run = hh_simulate(10.0, T=50.0)
    >>> sorted(run), run["V"].shape, count_spikes(run["V"])
    (['V', 'h', 'm', 'n', 't'], (5000,), 4)
    >>> round(float(hh_simulate(0.0, T=20.0)["V"][-1]), 2)
    -65.0
    """
    drive = _current(I)
    dt = check_scalar(dt, name="dt", lo=0, hi=0.05, lo_open=True)
    T = check_scalar(T, name="T", lo=dt)
    V0 = check_scalar(V0, name="V0", lo=-150.0, hi=100.0)
    N = round(T / dt)
    # YOUR CODE HERE
    raise NotImplementedError()


def count_spikes(V: np.ndarray, thr: float = 0.0) -> int:
    """The number of upward crossings of ``thr`` in a voltage trace.

    A crossing is an index i >= 1 with ``V[i − 1] < thr <= V[i]``; a trace that starts above
    ``thr`` does not count its start.

    Parameters
    ----------
    V : ndarray of shape (N,), float64
        The membrane potential in mV.
    thr : float, default 0.0
        The threshold in mV.

    Returns
    -------
    int
        The number of spikes.

    Raises
    ------
    ValueError
        If ``V`` is not a finite vector or ``thr`` not finite, naming it.

    Examples
    --------
    >>> count_spikes(np.array([-65.0, 10.0, 20.0, -70.0, 0.0, -5.0]))
    2
    >>> count_spikes(np.array([5.0, -5.0]), thr=0.0)
    0
    """
    V = check_array(V, name="V", ndim=1, layout="(N,)")
    thr = check_scalar(thr, name="thr")
    # YOUR CODE HERE
    raise NotImplementedError()



def _current(I: Current) -> Callable[[float], float]:  # noqa: E741
    """The current as a function of the time in ms: ``I`` itself if callable, else a constant."""
    if callable(I):
        return lambda t: float(I(t))
    value = check_scalar(I, name="I")
    return lambda t: value
