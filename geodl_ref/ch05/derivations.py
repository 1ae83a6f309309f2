"""Chapter 5's closed forms as symbolic answers: the leaky integrate-and-fire neuron's membrane
potential under a constant current and its time to threshold (§5.3), and the steady state and time
constant of a Hodgkin–Huxley gating variable (§5.2).

Every function returns a sympy expression written with the module-level symbols below (keep their
names: the grader reads your formula with exactly these names and nothing else). You may also
return the formula as a string, e.g. ``"E_L + R*I"``: write products with ``*``, powers with
``**``, and functions as ``exp``, ``log``, ``sqrt``.

The LIF neuron is ``τ dV/dt = −(V − E_L) + R I`` (eq 5.1) with a constant current ``I``; it starts
at ``V(0) = V0``. After a spike it restarts from ``V_reset`` and fires again when ``V`` reaches
``V_th`` (``V_reset < V_th < E_L + R I``: the current is strong enough to fire). A gating variable
``m`` of the Hodgkin–Huxley model obeys ``dm/dt = α(1 − m) − β m`` (eq 5.4) with rates ``α, β > 0``
held fixed (a voltage clamp).
"""
from __future__ import annotations

import sympy as sp

t = sp.Symbol("t", nonnegative=True)            # time (ms)
tau = sp.Symbol("tau", positive=True)           # membrane time constant τ (ms)
E_L = sp.Symbol("E_L", real=True)               # resting (leak reversal) potential (mV)
R = sp.Symbol("R", positive=True)               # membrane resistance
I = sp.Symbol("I", positive=True)               # constant input current
V0 = sp.Symbol("V0", real=True)                 # the potential at t = 0 (mV)
V_reset = sp.Symbol("V_reset", real=True)       # the potential after a spike (mV)
V_th = sp.Symbol("V_th", real=True)             # the firing threshold (mV)
alpha = sp.Symbol("alpha", positive=True)       # opening rate α of a gate (1/ms)
beta = sp.Symbol("beta", positive=True)         # closing rate β of a gate (1/ms)


def lif_membrane():
    """The LIF potential ``V(t) = E_L + R I + (V0 − E_L − R I) e^{−t/τ}`` below threshold.

    The solution of ``τ dV/dt = −(V − E_L) + R I`` with ``V(0) = V0``: ``V`` relaxes
    exponentially, with time constant τ, towards ``V_∞ = E_L + R I``. Variables: ``t``, ``tau``,
    ``E_L``, ``R``, ``I``, ``V0``.

    Returns
    -------
    sympy expression in t, tau, E_L, R, I, V0

    Examples
    --------
    >>> sp.simplify(lif_membrane().subs(t, 0) - V0)
    0
    """
    ### BEGIN SOLUTION
    return E_L + R * I + (V0 - E_L - R * I) * sp.exp(-t / tau)       # V∞ + (V0 − V∞)e^{−t/τ}
    ### END SOLUTION


def lif_time_to_threshold():
    """The time from ``V_reset`` to ``V_th``: ``T = τ ln((E_L + R I − V_reset) / (E_L + R I − V_th))``.

    :func:`lif_membrane` started at ``V0 = V_reset`` and solved for ``V(T) = V_th``; the firing rate
    is ``1 / (t_ref + T)``. Variables: ``tau``, ``E_L``, ``R``, ``I``, ``V_reset``, ``V_th``, with
    ``V_reset < V_th < E_L + R I``.

    Returns
    -------
    sympy expression in tau, E_L, R, I, V_reset, V_th

    Examples
    --------
    >>> lif_time_to_threshold().subs({tau: 10, E_L: -65, R: 10, I: 2, V_reset: -65, V_th: -55})
    10*log(2)
    """
    ### BEGIN SOLUTION
    v_inf = E_L + R * I                                               # the potential V relaxes to
    return tau * sp.log((v_inf - V_reset) / (v_inf - V_th))           # solve V(T) = V_th
    ### END SOLUTION


def gate_steady_state():
    """The steady state of a gate, ``m_∞ = α / (α + β)``.

    The fixed point of ``dm/dt = α(1 − m) − β m``. Variables: ``alpha``, ``beta`` > 0.

    Returns
    -------
    sympy expression in alpha, beta

    Examples
    --------
    >>> gate_steady_state().subs({alpha: 1, beta: 3})
    1/4
    """
    ### BEGIN SOLUTION
    return alpha / (alpha + beta)                                     # α(1 − m) = β m
    ### END SOLUTION


def gate_time_constant():
    """The time constant of a gate, ``τ_m = 1 / (α + β)``.

    Written as ``dm/dt = (m_∞ − m) / τ_m``, the gate relaxes to :func:`gate_steady_state` with
    this time constant. Variables: ``alpha``, ``beta`` > 0.

    Returns
    -------
    sympy expression in alpha, beta

    Examples
    --------
    >>> gate_time_constant().subs({alpha: 1, beta: 3})
    1/4
    """
    ### BEGIN SOLUTION
    return 1 / (alpha + beta)                                         # dm/dt = −(α + β)(m − m∞)
    ### END SOLUTION
