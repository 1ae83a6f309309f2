"""m∞ = β/(α + β): the closing rate where the opening rate belongs."""


def gate_steady_state():
    return beta / (alpha + beta)
