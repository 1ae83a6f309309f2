"""The conjugates as equivalent rearranged sympy expressions (factored, log rules, rationals written out)."""


def conj_exp():
    return u * (sp.log(u) - 1)


def conj_xlogx():
    return sp.exp(u) / sp.E


def conj_neglog():
    return sp.log(-1 / u) - 1


def conj_inv():
    return -sp.sqrt(-4 * u)


def conj_softplus():
    return sp.log(u) * u - sp.log(1 - u) * (u - 1)


def conj_sqrt1px2():
    return -sp.sqrt((1 - u) * (1 + u))


def conj_abs_cubed():
    return 2 * sp.Abs(u) * sp.sqrt(sp.Abs(u)) / 3


def conj_quad():
    return sp.Rational(1, 2) * u**2 / a
