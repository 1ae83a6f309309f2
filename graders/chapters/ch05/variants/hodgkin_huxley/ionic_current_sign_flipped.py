"""The ionic current added to the input instead of subtracted (C dV/dt = I + I_ion)."""


def hh_simulate(I, T=200.0, dt=0.01, V0=-65.0):
    drive = _current(I)
    N = round(T / dt)
    trace = {key: np.empty(N) for key in ("V", "m", "h", "n")}
    v = V0
    m, h, n = (_alpha(x, v) / (_alpha(x, v) + _beta(x, v)) for x in "mhn")
    for i in range(N):
        trace["V"][i], trace["m"][i], trace["h"][i], trace["n"][i] = v, m, h, n
        ionic = G_NA * m**3 * h * (v - E_NA) + G_K * n**4 * (v - E_K) + G_L * (v - E_LEAK)
        dv = (drive(i * dt) + ionic) / C_M
        dm = _alpha("m", v) * (1 - m) - _beta("m", v) * m
        dh = _alpha("h", v) * (1 - h) - _beta("h", v) * h
        dn = _alpha("n", v) * (1 - n) - _beta("n", v) * n
        v, m, h, n = v + dt * dv, m + dt * dm, h + dt * dh, n + dt * dn
    return {"t": np.arange(N) * dt, **trace}
