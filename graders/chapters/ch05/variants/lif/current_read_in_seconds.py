"""The callable current is evaluated at the time in seconds, I(t / 1000), not in ms."""

_solution_lif_simulate = lif_simulate


def lif_simulate(I, T=1000.0, dt=0.01, tau=10.0, E_L=-65.0, V_th=-50.0, V_reset=-70.0, R=10.0, t_ref=2.0):
    current = (lambda t: I(t / 1000.0)) if callable(I) else I
    return _solution_lif_simulate(current, T, dt, tau, E_L, V_th, V_reset, R, t_ref)
