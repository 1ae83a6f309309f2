"""ch05.sym_neurons — the LIF neuron's membrane potential and time to threshold under a constant
current (eq 5.1), and a Hodgkin–Huxley gate's steady state and time constant (eq 5.4), as formulas
checked for equivalence on the physiological ranges below."""
from __future__ import annotations

from graders.authoring import Exercise, row
from graders.authoring.checks.symbolic import Var, check_formula

exercise = Exercise(module="ch05.derivations", title="Neuron dynamics in closed form (symbolic)",
                    functions=("lif_membrane", "lif_time_to_threshold", "gate_steady_state", "gate_time_constant"))

# Ranges (mV, ms) on which every formula is defined: V_reset < V_th < E_L + R I (R I ≥ 32 mV).
_TAU = Var("tau", domain=(5.0, 20.0), positive=True)
_E_L = Var("E_L", domain=(-70.0, -60.0))
_R = Var("R", domain=(8.0, 10.0), positive=True)
_I = Var("I", domain=(4.0, 8.0), positive=True)
MEMBRANE_VARS = (Var("t", domain=(0.0, 50.0)), _TAU, _E_L, _R, _I, Var("V0", domain=(-80.0, -40.0)))
THRESHOLD_VARS = (_TAU, _E_L, _R, _I, Var("V_reset", domain=(-78.0, -68.0)), Var("V_th", domain=(-55.0, -50.0)))
GATE_VARS = (Var("alpha", domain=(0.05, 2.0), positive=True), Var("beta", domain=(0.05, 2.0), positive=True))


@exercise.table(points=2, rows=[
    row("lif_membrane_formula",
        "lif_membrane() is V(t) = E_L + RI + (V0 − E_L − RI)e^{−t/τ}, the solution of τV̇ = −(V − E_L) + RI "
        "with V(0) = V0.", func="lif_membrane", variables=MEMBRANE_VARS),
    row("lif_time_to_threshold_formula",
        "lif_time_to_threshold() is T = τ ln((E_L + RI − V_reset)/(E_L + RI − V_th)), the time from V_reset "
        "to V_th.", func="lif_time_to_threshold", variables=THRESHOLD_VARS),
    row("gate_steady_state_formula", "gate_steady_state() is m∞ = α/(α + β), the fixed point of "
        "dm/dt = α(1 − m) − βm.", func="gate_steady_state", variables=GATE_VARS, points=1),
    row("gate_time_constant_formula", "gate_time_constant() is τ_m = 1/(α + β).",
        func="gate_time_constant", variables=GATE_VARS, points=1),
])
def formula(ctx, func, variables):
    check_formula(ctx, func, variables)
