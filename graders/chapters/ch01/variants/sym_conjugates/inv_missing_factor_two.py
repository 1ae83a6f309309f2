"""The conjugate of 1/x written as −√(−u) instead of −2√(−u)."""


def conj_inv():
    return -sp.sqrt(-u)
