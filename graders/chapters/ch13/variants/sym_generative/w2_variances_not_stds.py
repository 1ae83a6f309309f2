"""W2² with variances: (m1 − m2)² + (σ1² − σ2²)²."""


def w2_sq_gaussian_1d():
    return "(m1 - m2)**2 + (s1**2 - s2**2)**2"
