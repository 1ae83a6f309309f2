"""p/(N − p) where eq 12.32 has p/(N − p − 1) (off by one)."""


def dd_risk_classical():
    return (b2 + sigma2) * (1 + p / (N - p))
