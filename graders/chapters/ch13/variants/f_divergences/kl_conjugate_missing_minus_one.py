"""KL conjugate written eᵗ instead of e^{t−1}."""

_kl_right = _kl


def _kl_wrong():
    f, _, f_prime = _kl_right()
    return f, (lambda t: np.exp(np.asarray(t, dtype=float))), f_prime


_GENERATORS["kl"] = _kl_wrong
