"""Conjugates evaluated by their formula everywhere: finite or NaN outside dom f* instead of +inf."""


def _outside(t, inside, value):
    return value


def _hellinger():
    def f(u):
        return (np.sqrt(np.asarray(u, dtype=float)) - 1.0) ** 2

    def f_conj(t):
        t = np.asarray(t, dtype=float)
        with np.errstate(divide="ignore"):
            return t / (1.0 - t)

    def f_prime(u):
        with np.errstate(divide="ignore"):
            return 1.0 - 1.0 / np.sqrt(np.asarray(u, dtype=float))

    return f, f_conj, f_prime


_GENERATORS["hellinger"] = _hellinger
