"""τ_m = α + β, the total rate instead of its reciprocal."""


def gate_time_constant():
    return alpha + beta
