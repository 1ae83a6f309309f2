"""Oja expanded as w + η(yx − y²w); the window by boolean masks; the total summed per presynaptic spike."""


def oja_step(w, x, eta):
    y = float(np.dot(w, x))
    return w + eta * (y * x - (y ** 2) * w)


def stdp_dw(dt, A_plus=0.01, A_minus=0.012, tau_plus=20.0, tau_minus=20.0):
    dt = np.asarray(dt, dtype=float)
    out = np.zeros_like(dt)
    pos, neg = dt > 0, dt < 0
    out[pos] = A_plus * np.exp(-dt[pos] / tau_plus)
    out[neg] = -A_minus * np.exp(dt[neg] / tau_minus)
    return out


def stdp_total(pre, post, A_plus=0.01, A_minus=0.012, tau_plus=20.0, tau_minus=20.0):
    post = np.asarray(post, dtype=float)
    return float(sum(stdp_dw(post - t, A_plus, A_minus, tau_plus, tau_minus).sum() for t in pre))
