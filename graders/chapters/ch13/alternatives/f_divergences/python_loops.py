"""Plain Python loops with math.log over the bins, generators as scalar functions vectorized by np.vectorize."""
import math as _math


def _scalar_generators(name):
    inf = float("inf")

    def xlogx(u):
        return u * _math.log(u) if u > 0 else 0.0

    if name == "kl":
        return (xlogx, lambda t: _math.exp(t - 1), lambda u: 1 + _math.log(u) if u > 0 else -inf)
    if name == "reverse_kl":
        return (lambda u: -_math.log(u) if u > 0 else inf, lambda t: -1 - _math.log(-t) if t < 0 else inf,
                lambda u: -1 / u if u > 0 else -inf)
    if name == "pearson":
        return (lambda u: (u - 1) ** 2, lambda t: t * t / 4 + t, lambda u: 2 * (u - 1))
    if name == "hellinger":
        return (lambda u: (_math.sqrt(u) - 1) ** 2, lambda t: t / (1 - t) if t < 1 else inf,
                lambda u: 1 - 1 / _math.sqrt(u) if u > 0 else -inf)
    if name == "js":
        return (lambda u: xlogx(u) - (u + 1) * _math.log((u + 1) / 2),
                lambda t: -_math.log(2 - _math.exp(t)) if t < _math.log(2) else inf,
                lambda u: _math.log(2 * u / (u + 1)) if u > 0 else -inf)
    return (lambda u: xlogx(u) - (u + 1) * _math.log(u + 1),
            lambda t: -_math.log(1 - _math.exp(t)) if t < 0 else inf,
            lambda u: _math.log(u / (u + 1)) if u > 0 else -inf)


def f_generator(name):
    name = check_choice(name, name="name", choices=NAMES)
    return tuple(np.vectorize(g, otypes=[float]) for g in _scalar_generators(name))


_SLOPE = {"kl": float("inf"), "reverse_kl": 0.0, "pearson": float("inf"), "hellinger": 1.0,
          "js": _math.log(2), "gan": 0.0}


def f_div(P, Q, name):
    P, Q = _check_distributions(P, Q)
    name = check_choice(name, name="name", choices=NAMES)
    f = _scalar_generators(name)[0]
    total = 0.0
    for p, q in zip(P.tolist(), Q.tolist()):
        if q > 0:
            total += q * f(p / q)
        elif p > 0:
            total += p * _SLOPE[name]
    return total


def js(P, Q):
    P, Q = _check_distributions(P, Q)
    total = 0.0
    for p, q in zip(P.tolist(), Q.tolist()):
        m = (p + q) / 2
        if p > 0:
            total += 0.5 * p * _math.log(p / m)
        if q > 0:
            total += 0.5 * q * _math.log(q / m)
    return total


def variational_bound(T, P, Q, name):
    P, Q = _check_distributions(P, Q)
    T = check_array(T, name="T", shape=P.shape)
    conj = _scalar_generators(check_choice(name, name="name", choices=NAMES))[1]
    return sum(p * t for p, t in zip(P.tolist(), T.tolist())) - sum(
        q * conj(t) for q, t in zip(Q.tolist(), T.tolist()) if q > 0)
