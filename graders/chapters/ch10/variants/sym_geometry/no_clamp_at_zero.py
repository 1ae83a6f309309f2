"""sign(v)(|v| − λ) without the max(·, 0): small coefficients change sign instead of vanishing."""


def soft_threshold():
    return sp.sign(v) * (sp.Abs(v) - lam)
