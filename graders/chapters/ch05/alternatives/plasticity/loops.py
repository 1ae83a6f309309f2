"""Element-wise loops: each rule coordinate by coordinate, the window by cases, the total by a double loop."""
import math


def hebb_step(w, x, eta):
    y = sum(wi * xi for wi, xi in zip(w, x))
    return np.array([wi + eta * y * xi for wi, xi in zip(w, x)])


def oja_step(w, x, eta):
    y = sum(wi * xi for wi, xi in zip(w, x))
    return np.array([wi + eta * (y * xi - y * y * wi) for wi, xi in zip(w, x)])


def run_oja(X, eta, w0):
    rows = [np.array(w0, dtype=float)]
    for x in X:
        rows.append(oja_step(rows[-1], x, eta))
    return np.vstack(rows)


def _window(d, A_plus, A_minus, tau_plus, tau_minus):
    if d > 0:
        return A_plus * math.exp(-d / tau_plus)
    if d < 0:
        return -A_minus * math.exp(d / tau_minus)
    return 0.0


def stdp_dw(dt, A_plus=0.01, A_minus=0.012, tau_plus=20.0, tau_minus=20.0):
    return np.array([_window(float(d), A_plus, A_minus, tau_plus, tau_minus) for d in dt])


def stdp_total(pre, post, A_plus=0.01, A_minus=0.012, tau_plus=20.0, tau_minus=20.0):
    return float(sum(_window(float(b) - float(a), A_plus, A_minus, tau_plus, tau_minus) for a in pre for b in post))
