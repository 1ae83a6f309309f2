"""The conjugate of ½ a x² written as ½ a u² instead of u²/(2a)."""


def conj_quad():
    return a * u**2 / 2
