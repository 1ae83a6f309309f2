"""W2 instead of W2²: the square root of (m1 − m2)² + (σ1 − σ2)²."""


def w2_sq_gaussian_1d():
    return sp.sqrt((m1 - m2) ** 2 + (s1 - s2) ** 2)
