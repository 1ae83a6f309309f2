"""V∞ = E_L + I, the current added without the membrane resistance R."""


def lif_membrane():
    return E_L + I + (V0 - E_L - I) * sp.exp(-t / tau)


def lif_time_to_threshold():
    return tau * sp.log((E_L + I - V_reset) / (E_L + I - V_th))
