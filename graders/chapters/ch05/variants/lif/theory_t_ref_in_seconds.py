"""The theory adds t_ref in seconds (t_ref / 1000) to a climb time in ms."""


def lif_rate_theory(I, tau=10.0, E_L=-65.0, V_th=-50.0, V_reset=-70.0, R=10.0, t_ref=2.0):
    V_inf = E_L + R * I
    if V_inf <= V_th:
        return 0.0
    return 1000.0 / (t_ref / 1000.0 + tau * math.log((V_inf - V_reset) / (V_inf - V_th)))
