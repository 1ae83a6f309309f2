"""A while loop over a preallocated trace that writes each refractory block at once
(V[j:j + hold + 1] = V_reset) and jumps over it; the theory through log1p."""


def lif_simulate(I, T=1000.0, dt=0.01, tau=10.0, E_L=-65.0, V_th=-50.0, V_reset=-70.0, R=10.0, t_ref=2.0):
    n = round(T / dt)
    hold = round(t_ref / dt)
    V = np.full(n, np.nan)
    V[0] = E_L
    spikes = []
    j = 0  # the last sample written
    while j < n - 1:
        current = I(j * dt) if callable(I) else I
        v = V[j] - dt / tau * (V[j] - E_L - R * current)
        if v < V_th:
            V[j + 1] = v
            j += 1
            continue
        spikes.append((j + 1) * dt)
        V[j + 1:j + hold + 2] = V_reset  # the spike's sample and the refractory block
        j += hold + 1
    return np.array(spikes), V


def lif_rate_theory(I, tau=10.0, E_L=-65.0, V_th=-50.0, V_reset=-70.0, R=10.0, t_ref=2.0):
    above = R * I - (V_th - E_L)
    if above <= 0:
        return 0.0
    return 1000.0 / (t_ref + tau * math.log1p((V_th - V_reset) / above))
