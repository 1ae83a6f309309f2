"""The log's ratio upside down: a negative time to threshold."""


def lif_time_to_threshold():
    return tau * sp.log((E_L + R * I - V_th) / (E_L + R * I - V_reset))
