"""The refractory period is counted in steps (t_ref steps of dt), not in ms."""


def lif_simulate(I, T=1000.0, dt=0.01, tau=10.0, E_L=-65.0, V_th=-50.0, V_reset=-70.0, R=10.0, t_ref=2.0):
    drive = _current(I)
    n = round(T / dt)
    hold_steps = round(t_ref)
    V = np.empty(n)
    V[0] = v = E_L
    spikes, held = [], 0
    for i in range(n - 1):
        if held:
            held -= 1
        else:
            v += dt / tau * (-(v - E_L) + R * drive(i * dt))
            if v >= V_th:
                spikes.append((i + 1) * dt)
                v, held = V_reset, hold_steps
        V[i + 1] = v
    return np.array(spikes, dtype=float), V
