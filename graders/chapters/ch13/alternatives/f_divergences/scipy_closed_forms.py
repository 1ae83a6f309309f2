"""Closed forms per divergence with scipy.special (rel_entr, xlogy) instead of the generic Σ Q f(P/Q)."""
from scipy.special import rel_entr as _rel_entr
from scipy.special import xlogy as _xlogy


def f_generator(name):
    name = check_choice(name, name="name", choices=NAMES)
    log2 = np.log(2.0)

    def arr(x):
        return np.asarray(x, dtype=float)

    def guarded(t, inside, formula):
        t = arr(t)
        ok = inside(t)
        with np.errstate(all="ignore"):
            return np.where(ok, formula(np.where(ok, t, 0.0 if name != "reverse_kl" else -1.0)), np.inf)

    table = {
        "kl": (lambda u: _xlogy(arr(u), arr(u)), lambda t: np.exp(arr(t) - 1), lambda u: 1 + np.log(arr(u))),
        "reverse_kl": (lambda u: -np.log(arr(u)), lambda t: guarded(t, lambda s: s < 0, lambda s: -1 - np.log(-s)),
                       lambda u: -1 / arr(u)),
        "pearson": (lambda u: (arr(u) - 1) ** 2, lambda t: arr(t) ** 2 / 4 + arr(t), lambda u: 2 * arr(u) - 2),
        "hellinger": (lambda u: arr(u) - 2 * np.sqrt(arr(u)) + 1, lambda t: guarded(t, lambda s: s < 1,
                                                                                       lambda s: s / (1 - s)),
                      lambda u: 1 - arr(u) ** -0.5),
        "js": (lambda u: _xlogy(arr(u), arr(u)) - _xlogy(arr(u) + 1, (arr(u) + 1) / 2),
               lambda t: guarded(t, lambda s: s < log2, lambda s: -np.log(2 - np.exp(s))),
               lambda u: np.log(2 * arr(u)) - np.log(arr(u) + 1)),
        "gan": (lambda u: _xlogy(arr(u), arr(u)) - _xlogy(arr(u) + 1, arr(u) + 1),
                lambda t: guarded(t, lambda s: s < 0, lambda s: -np.log(1 - np.exp(s))),
                lambda u: np.log(arr(u)) - np.log(arr(u) + 1)),
    }
    with np.errstate(divide="ignore"):
        return table[name]


def f_div(P, Q, name):
    P, Q = _check_distributions(P, Q)
    name = check_choice(name, name="name", choices=NAMES)
    M = (P + Q) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        if name == "kl":
            return float(np.sum(_rel_entr(P, Q)))
        if name == "reverse_kl":
            return float(np.sum(_rel_entr(Q, P)))
        if name == "pearson":
            if np.any((Q == 0) & (P > 0)):
                return float("inf")
            on = Q > 0
            return float(np.sum((P[on] - Q[on]) ** 2 / Q[on]))
        if name == "hellinger":
            return float(np.sum((np.sqrt(P) - np.sqrt(Q)) ** 2))
        if name == "js":
            return float(np.sum(_rel_entr(P, M) + _rel_entr(Q, M)))
        return float(np.sum(_rel_entr(P, P + Q) + _rel_entr(Q, P + Q)))


def js(P, Q):
    P, Q = _check_distributions(P, Q)
    M = (P + Q) / 2
    return float(0.5 * np.sum(_rel_entr(P, M)) + 0.5 * np.sum(_rel_entr(Q, M)))


def variational_bound(T, P, Q, name):
    P, Q = _check_distributions(P, Q)
    T = check_array(T, name="T", shape=P.shape)
    f_conj = f_generator(name)[1]
    total = float(P @ T)
    for q, t in zip(Q, T):
        if q > 0:
            total -= q * float(f_conj(t))
    return total
