"""Pearson χ² conjugate missing the +t: f*(t) = t²/4."""

_pearson_right = _pearson


def _pearson_wrong():
    f, _, f_prime = _pearson_right()
    return f, (lambda t: np.asarray(t, dtype=float) ** 2 / 4.0), f_prime


_GENERATORS["pearson"] = _pearson_wrong
