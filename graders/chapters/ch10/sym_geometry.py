"""ch10.sym_geometry — Zaslavsky's count 1 + m + m(m − 1)/2 of the regions of m generic lines, the
local linear map A = D¹W¹D⁰W⁰ of a two-layer ReLU net on one activation region (eq 10.45, with
2 ≠ 4 ≠ 3 neurons per layer so that a reversed or transposed product cannot pass), and the soft
threshold sign(v)·max(|v| − λ, 0), the proximal map of λ|·| (eqs 10.12–10.13), as formulas."""
from __future__ import annotations

from graders.authoring import Exercise, row
from graders.authoring.checks.symbolic import Var, check_formula

exercise = Exercise(module="ch10.derivations", title="Regions, local maps and shrinkage (symbolic)",
                    functions=("max_regions_plane", "local_slope", "soft_threshold"))

D_IN, N1, N2 = 2, 4, 3
#: m sampled as a real number: two polynomials that agree at every real m agree at every integer.
COUNT_VARS = (Var("m", domain=(0.0, 40.0), positive=True),)
#: The pattern matrices are sampled as general matrices (not only 0/1 diagonals): the formula holds
#: for every pattern, and an omitted or misplaced factor shows at a general point.
NET_VARS = (Var("W0", shape=(N1, D_IN)), Var("D0", shape=(N1, N1)), Var("W1", shape=(N2, N1)),
            Var("D1", shape=(N2, N2)))
SOFT_VARS = (Var("v", domain=(-3.0, 3.0)), Var("lam", domain=(0.05, 2.0), positive=True))


@exercise.table(points=2, rows=[
    row("max_regions_plane_formula", "max_regions_plane() is Σ_{i=0}^{2} C(m, i) = 1 + m + m(m − 1)/2, the "
        "regions of m lines in general position (the sum up to d = 2 included).",
        func="max_regions_plane", variables=COUNT_VARS, points=1),
    row("local_slope_formula", "local_slope() is A = D1 W1 D0 W0 (eq 10.45), a (3, 2) matrix: the last "
        "layer's ReLU (D1) included, the product from the last layer on the left to the first on the right.",
        func="local_slope", variables=NET_VARS),
    row("soft_threshold_formula", "soft_threshold() is sign(v)·max(|v| − λ, 0), the proximal map of λ|·| "
        "(not λ/2, not a hard threshold).", func="soft_threshold", variables=SOFT_VARS),
])
def formula(ctx, func, variables):
    check_formula(ctx, func, variables)
