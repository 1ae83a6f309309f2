"""The theory's logarithm is upside down: ln((RI + E_L − V_th)/(RI + E_L − V_reset))."""


def lif_rate_theory(I, tau=10.0, E_L=-65.0, V_th=-50.0, V_reset=-70.0, R=10.0, t_ref=2.0):
    V_inf = E_L + R * I
    if V_inf <= V_th:
        return 0.0
    return 1000.0 / (t_ref + tau * math.log((V_inf - V_th) / (V_inf - V_reset)))
