"""Gaussian KL with log σ in place of log σ² (the log-variance confused with the log-std)."""


def gaussian_kl_term():
    return sp.Rational(1, 2) * (sigma**2 + mu**2 - sp.log(sigma) - 1)
