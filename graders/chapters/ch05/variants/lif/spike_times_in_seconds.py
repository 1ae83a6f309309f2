"""The spike times are returned in seconds (step index · dt / 1000), not in ms."""

_solution_lif_simulate = lif_simulate


def lif_simulate(I, T=1000.0, dt=0.01, tau=10.0, E_L=-65.0, V_th=-50.0, V_reset=-70.0, R=10.0, t_ref=2.0):
    spikes, V = _solution_lif_simulate(I, T, dt, tau, E_L, V_th, V_reset, R, t_ref)
    return spikes / 1000.0, V
