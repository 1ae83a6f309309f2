"""Every answer as a string, in another but equal form."""


def lif_membrane():
    return "V0*exp(-t/tau) + (E_L + R*I)*(1 - exp(-t/tau))"


def lif_time_to_threshold():
    return "tau*(log(E_L + R*I - V_reset) - log(E_L + R*I - V_th))"


def gate_steady_state():
    return "1/(1 + beta/alpha)"


def gate_time_constant():
    return "(alpha + beta)^(-1)"
