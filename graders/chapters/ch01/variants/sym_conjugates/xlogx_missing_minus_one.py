"""The conjugate of x log x written as eᵘ instead of e^{u−1} (x* = e^{u−1} dropped the −1)."""


def conj_xlogx():
    return sp.exp(u)
