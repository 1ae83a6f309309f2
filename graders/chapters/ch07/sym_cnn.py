"""ch07.sym_cnn — a convolution's output size and parameter count and the receptive field of a
strided stack (§7.2–7.3), as formulas checked for equivalence on real ranges of the sizes."""
from __future__ import annotations

from graders.authoring import Exercise, row
from graders.authoring.checks.symbolic import Var, check_formula

exercise = Exercise(module="ch07.derivations", title="Convolution arithmetic in closed form (symbolic)",
                    functions=("conv_output_size", "conv_param_count", "receptive_field_stack"))

_K = Var("k", domain=(1.0, 7.0), positive=True)
SIZE_VARS = (Var("H", domain=(16.0, 64.0), positive=True), _K, Var("s", domain=(1.0, 4.0), positive=True),
             Var("p", domain=(0.0, 3.0)), Var("d", domain=(1.0, 3.0), positive=True))
PARAM_VARS = (Var("C_in", domain=(1.0, 64.0), positive=True), Var("C_out", domain=(1.0, 64.0), positive=True), _K)
#: s > 1 keeps away from the removable singularity of (s^L − 1)/(s − 1) at s = 1.
FIELD_VARS = (Var("L", domain=(1.0, 6.0), positive=True), _K, Var("s", domain=(1.5, 4.0), positive=True))


@exercise.table(points=2, rows=[
    row("conv_output_size_formula", "conv_output_size() is H_o = (H + 2p − d(k − 1) − 1)/s + 1 "
        "(with exact division).", func="conv_output_size", variables=SIZE_VARS),
    row("conv_param_count_formula", "conv_param_count() is C_out·C_in·k² + C_out: weights and one bias per "
        "filter.", func="conv_param_count", variables=PARAM_VARS, points=1),
    row("receptive_field_stack_formula", "receptive_field_stack() is 1 + (k − 1)(s^L − 1)/(s − 1), the "
        "receptive field of L stacked k×k convolutions of stride s.", func="receptive_field_stack",
        variables=FIELD_VARS),
])
def formula(ctx, func, variables):
    check_formula(ctx, func, variables)
