"""The value that crossed the threshold is stored in V at the spike (V_reset only from the next sample)."""


def lif_simulate(I, T=1000.0, dt=0.01, tau=10.0, E_L=-65.0, V_th=-50.0, V_reset=-70.0, R=10.0, t_ref=2.0):
    drive = _current(I)
    n = round(T / dt)
    hold_steps = round(t_ref / dt)
    V = np.empty(n)
    V[0] = v = E_L
    spikes, held = [], 0
    for i in range(n - 1):
        if held:
            held -= 1
            v = V_reset
        else:
            v += dt / tau * (-(v - E_L) + R * drive(i * dt))
            if v >= V_th:
                spikes.append((i + 1) * dt)
                held = hold_steps
        V[i + 1] = v
    return np.array(spikes, dtype=float), V
