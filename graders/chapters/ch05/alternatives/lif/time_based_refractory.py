"""The refractory period as a time comparison (t < last spike + t_ref), the Euler step as a
relaxation towards V_∞ = E_L + RI, a Python list for the trace, and the theory's rate as 1 / period in s."""


def lif_simulate(I, T=1000.0, dt=0.01, tau=10.0, E_L=-65.0, V_th=-50.0, V_reset=-70.0, R=10.0, t_ref=2.0):
    current = I if callable(I) else (lambda t: I)
    n = int(round(T / dt))
    alpha = dt / tau
    trace, spikes = [E_L], []
    v, last = E_L, -np.inf
    for i in range(1, n):
        t_prev = (i - 1) * dt
        if t_prev < last + t_ref - 1e-9 * dt:
            v = V_reset
        else:
            v = (1.0 - alpha) * v + alpha * (E_L + R * current(t_prev))
            if v >= V_th:
                last = i * dt
                spikes.append(last)
                v = V_reset
        trace.append(v)
    return np.asarray(spikes, dtype=np.float64), np.asarray(trace, dtype=np.float64)


def lif_rate_theory(I, tau=10.0, E_L=-65.0, V_th=-50.0, V_reset=-70.0, R=10.0, t_ref=2.0):
    if R * I <= V_th - E_L:
        return 0.0
    period_s = (t_ref + tau * (np.log(R * I + E_L - V_reset) - np.log(R * I + E_L - V_th))) / 1000.0
    return float(1.0 / period_s)
