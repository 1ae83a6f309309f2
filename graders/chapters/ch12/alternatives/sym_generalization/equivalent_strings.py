"""Equivalent forms as strings: one logarithm ln(2 card_F/δ), r·√2 inside the root, (b2 + σ²)(N − 1)/(N − p − 1)."""


def finite_class_gap():
    return "sqrt(log(2*card_F/delta)/(2*N))"


def massart_rademacher():
    return "sqrt(2*r**2*log(card_F))/N"


def dd_risk_classical():
    return "(b2 + sigma2)*(N - 1)/(N - p - 1)"
