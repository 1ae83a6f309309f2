"""Derived with sympy: the KL as an integral-free expectation, D* by solving the first-order
condition, W2² from the Bures trace with sqrt(s1**2 * s2**2)."""


def gaussian_kl_term():
    var = sigma**2
    return sp.Rational(1, 2) * (var + mu**2) - sp.Rational(1, 2) - sp.log(sp.sqrt(var))


def optimal_discriminator():
    D = sp.Symbol("D", positive=True)
    return sp.solve(sp.diff(p * sp.log(D) + q * sp.log(1 - D), D), D)[0]


def w2_sq_gaussian_1d():
    return (m1 - m2) ** 2 + s1**2 + s2**2 - 2 * sp.sqrt(s1**2 * s2**2)
