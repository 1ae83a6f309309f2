"""The threshold is λ/2 instead of λ."""


def soft(v, lam):
    v = np.asarray(v, dtype=float)
    return np.sign(v) * np.maximum(np.abs(v) - lam / 2, 0.0)
