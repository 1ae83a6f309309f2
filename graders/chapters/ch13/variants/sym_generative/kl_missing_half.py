"""Gaussian KL without the factor ½."""


def gaussian_kl_term():
    return sigma**2 + mu**2 - sp.log(sigma**2) - 1
