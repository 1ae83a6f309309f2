"""A callable current read at the time in seconds (t_i / 1000) instead of ms."""

_right_simulate = hh_simulate


def hh_simulate(I, T=200.0, dt=0.01, V0=-65.0):
    return _right_simulate((lambda t: I(t / 1000.0)) if callable(I) else I, T, dt, V0)
