"""The left-out features counted as bias only, not as extra noise: b2 + σ²(1 + p/(N − p − 1))."""


def dd_risk_classical():
    return "b2 + sigma2*(1 + p/(N - p - 1))"
