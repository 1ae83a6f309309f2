"""Hellinger generator without the square: f(u) = |√u − 1| (its conjugate kept)."""

_hellinger_right = _hellinger


def _hellinger_wrong():
    _, f_conj, f_prime = _hellinger_right()
    return (lambda u: np.abs(np.sqrt(np.asarray(u, dtype=float)) - 1.0)), f_conj, f_prime


_GENERATORS["hellinger"] = _hellinger_wrong
