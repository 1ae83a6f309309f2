"""Hard threshold: the large coefficients are kept as they are instead of shrunk by λ."""


def soft(v, lam):
    v = np.asarray(v, dtype=float)
    return np.where(np.abs(v) > lam, v, 0.0)
