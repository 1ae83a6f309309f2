"""The theory applies the logarithm below threshold too (NaN or a negative rate instead of 0)."""


def lif_rate_theory(I, tau=10.0, E_L=-65.0, V_th=-50.0, V_reset=-70.0, R=10.0, t_ref=2.0):
    V_inf = E_L + R * I
    with np.errstate(all="ignore"):
        return float(1000.0 / (t_ref + tau * np.log((V_inf - V_reset) / (V_inf - V_th))))
