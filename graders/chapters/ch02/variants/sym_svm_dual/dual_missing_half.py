"""The dual objective without the ½ in front of the double sum."""


def dual_objective():
    alpha = (a1, a2, a3)
    gram = [[sum(p * q for p, q in zip(xi, xj)) for xj in POINTS] for xi in POINTS]
    quad = sum(alpha[i] * alpha[j] * LABELS[i] * LABELS[j] * gram[i][j] for i in range(3) for j in range(3))
    return sp.expand(a1 + a2 + a3 - quad)
