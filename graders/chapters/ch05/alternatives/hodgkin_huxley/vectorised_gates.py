"""The three gates as one vector (m, h, n), their rates from numpy arrays with the 0/0 patched by
np.where; the trace stored in lists."""


def _rates(v):
    x_m, x_n = v + 40.0, v + 55.0
    with np.errstate(all="ignore"):
        a_m = np.where(x_m == 0.0, 1.0, 0.1 * x_m / (1.0 - np.exp(-x_m / 10.0)))
        a_n = np.where(x_n == 0.0, 0.1, 0.01 * x_n / (1.0 - np.exp(-x_n / 10.0)))
    alpha = np.array([a_m, 0.07 * np.exp(-(v + 65.0) / 20.0), a_n])
    beta = np.array([4.0 * np.exp(-(v + 65.0) / 18.0), 1.0 / (1.0 + np.exp(-(v + 35.0) / 10.0)),
                     0.125 * np.exp(-(v + 65.0) / 80.0)])
    return alpha, beta


def hh_simulate(I, T=200.0, dt=0.01, V0=-65.0):
    N = round(T / dt)
    alpha, beta = _rates(V0)
    gates, v = alpha / (alpha + beta), V0
    Vs, Gs = [], []
    for i in range(N):
        Vs.append(v)
        Gs.append(gates)
        m, h, n = gates
        current = I(i * dt) if callable(I) else I
        i_na = 120.0 * m**3 * h * (v - 50.0)
        i_k = 36.0 * n**4 * (v + 77.0)
        i_l = 0.3 * (v + 54.387)
        alpha, beta = _rates(v)
        gates = gates + dt * (alpha * (1.0 - gates) - beta * gates)
        v = v + dt * (current - i_na - i_k - i_l) / 1.0
    G = np.array(Gs)
    return {"t": dt * np.arange(N), "V": np.array(Vs), "m": G[:, 0], "h": G[:, 1], "n": G[:, 2]}


def count_spikes(V, thr=0.0):
    V = np.asarray(V, dtype=float)
    return sum(1 for i in range(1, len(V)) if V[i - 1] < thr <= V[i])
