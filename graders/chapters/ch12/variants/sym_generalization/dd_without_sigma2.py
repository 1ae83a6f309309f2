"""The risk without the irreducible σ²: b2 + (b2 + σ²) p/(N − p − 1)."""


def dd_risk_classical():
    return b2 + (b2 + sigma2) * p / (N - p - 1)
