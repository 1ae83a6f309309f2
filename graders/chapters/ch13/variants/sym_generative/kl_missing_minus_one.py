"""Gaussian KL without the −1: ½(σ² + μ² − log σ²)."""


def gaussian_kl_term():
    return sp.Rational(1, 2) * (sigma**2 + mu**2 - sp.log(sigma**2))
