"""The dual built with sympy matrices, the reduction by solve(), the classifier derived from the KKT equations.

The dual objective built as 1ᵀα − ½αᵀQα with sympy matrices, the reduction by solve(), w with a sum, and the
answers derived from the KKT equations rather than typed in."""


def dual_objective():
    alpha = sp.Matrix([a1, a2, a3])
    Xm = sp.Matrix(POINTS)
    Yd = sp.diag(*LABELS)
    Q = Yd * Xm * Xm.T * Yd
    return sp.expand(sum(alpha) - (alpha.T * Q * alpha)[0, 0] / 2)


def reduced_dual_objective():
    constraint = sum(l * v for l, v in zip(LABELS, (a1, a2, a3)))
    return sp.expand(dual_objective().subs(a1, sp.solve(constraint, a1)[0]))


def primal_weight():
    return sum((l * v * p for l, v, p in zip(LABELS, (a1, a2, a3), (x1, x2, x3))), sp.ZeroMatrix(2, 1))


def decision_function():
    g = reduced_dual_objective()
    sol = sp.solve([sp.diff(g, a2), sp.diff(g, a3)], [a2, a3], dict=True)[0]
    alpha = (sol[a2] + sol[a3], sol[a2], sol[a3])
    w = sum((l * v * sp.Matrix(p) for l, v, p in zip(LABELS, alpha, POINTS)), sp.zeros(2, 1))
    b = LABELS[0] - (w.T * sp.Matrix(POINTS[0]))[0, 0]
    return w[0] * z1 + w[1] * z2 + b


def margin():
    return 4 / sp.sqrt(5)
