"""e^{+t/τ} for e^{−t/τ}: the potential runs away from V∞ instead of relaxing to it."""


def lif_membrane():
    return E_L + R * I + (V0 - E_L - R * I) * sp.exp(t / tau)
