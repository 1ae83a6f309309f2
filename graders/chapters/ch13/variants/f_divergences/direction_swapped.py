"""Direction swapped: Σ P f(Q/P) instead of Σ Q f(P/Q)."""


def f_div(P, Q, name):
    P, Q = _check_distributions(P, Q)
    f = _GENERATORS[name]()[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.sum(P * f(Q / P)))
