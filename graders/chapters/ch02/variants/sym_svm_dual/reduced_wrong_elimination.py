"""α_1 eliminated as α_2 − α_3 (a sign slip in Σ α_i y_i = 0 with y = (+1, −1, −1))."""


def reduced_dual_objective():
    return sp.expand(dual_objective().subs(a1, a2 - a3))
