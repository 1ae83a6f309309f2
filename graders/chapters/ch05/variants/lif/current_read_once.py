"""A callable current is read once, at t = 0, and held constant."""

_solution_lif_simulate = lif_simulate


def lif_simulate(I, T=1000.0, dt=0.01, tau=10.0, E_L=-65.0, V_th=-50.0, V_reset=-70.0, R=10.0, t_ref=2.0):
    current = float(I(0.0)) if callable(I) else I
    return _solution_lif_simulate(current, T, dt, tau, E_L, V_th, V_reset, R, t_ref)
