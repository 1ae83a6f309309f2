"""The dual objective with x_iᵀx_j but without y_iy_j (Q = XXᵀ), and the reduction built on it."""


def dual_objective():
    alpha = (a1, a2, a3)
    quad = sum(alpha[i] * alpha[j] * sum(p * q for p, q in zip(POINTS[i], POINTS[j])) for i in range(3) for j in range(3))
    return sp.expand(a1 + a2 + a3 - quad / 2)


def reduced_dual_objective():
    return sp.expand(dual_objective().subs(a1, a2 + a3))
