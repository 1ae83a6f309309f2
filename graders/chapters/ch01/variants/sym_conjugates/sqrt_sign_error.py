"""The conjugate of √(1 + x²) with the wrong sign: +√(1 − u²)."""


def conj_sqrt1px2():
    return sp.sqrt(1 - u**2)
