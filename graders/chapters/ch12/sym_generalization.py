"""ch12.sym_generalization — the complexity term of the finite-class bound (eq 12.9, the root over the
whole fraction), Massart's bound, and the risk of least squares on p < N − 1 weak features (eq 12.32),
as formulas."""
from __future__ import annotations

from graders.authoring import Exercise, row
from graders.authoring.checks.symbolic import Var, check_formula

exercise = Exercise(module="ch12.derivations",
                    functions=("finite_class_gap", "massart_rademacher", "dd_risk_classical"),
                    title="The bounds' formulas (symbolic)")

_N = Var("N", domain=(5.0, 5000.0), positive=True)
_CARD = Var("card_F", domain=(1.0, 1e4), positive=True)
HOEFFDING_VARS = (_N, Var("delta", domain=(1e-4, 0.5), positive=True), _CARD)
MASSART_VARS = (Var("r", domain=(0.1, 20.0), positive=True), _CARD, _N)
#: p < N − 1 on the whole box: N in [40, 120], p in [0.5, 37].
DD_VARS = (Var("b2", domain=(0.0, 2.0), positive=True), Var("sigma2", domain=(0.01, 1.0), positive=True),
           Var("p", domain=(0.5, 37.0), positive=True), Var("N", domain=(40.0, 120.0), positive=True))


@exercise.table(points=2, rows=[
    row("finite_class_gap_formula", "finite_class_gap() is √((ln card_F + ln(2/δ))/(2N)), the root over the whole "
        "fraction (eq 12.9 prints it over the numerator only).", func="finite_class_gap", variables=HOEFFDING_VARS),
    row("massart_formula", "massart_rademacher() is r·√(2 ln card_F)/N.", func="massart_rademacher",
        variables=MASSART_VARS, points=1),
    row("dd_risk_classical_formula", "dd_risk_classical() is (b2 + σ²)(1 + p/(N − p − 1)) for p ≤ N − 2 (eq 12.32).",
        func="dd_risk_classical", variables=DD_VARS),
])
def formula(ctx, func, variables):
    check_formula(ctx, func, variables)
