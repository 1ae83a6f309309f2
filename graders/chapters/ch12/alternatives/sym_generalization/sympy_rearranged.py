"""Sympy expressions arranged differently: the root split as √(…)/√(2N), Massart as r/N·√2·√(ln card_F), the risk expanded."""


def finite_class_gap():
    return sp.sqrt(sp.log(card_F) - sp.log(delta) + sp.log(2)) / sp.sqrt(2 * N)


def massart_rademacher():
    return r / N * sp.sqrt(2) * sp.sqrt(sp.log(card_F))


def dd_risk_classical():
    return sp.expand(b2 + sigma2 + (b2 + sigma2) * p / (N - p - 1))
