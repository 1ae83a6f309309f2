"""gram returns whatever k gives, never raising the documented ValueError for a block of the wrong shape."""


def gram(k, X, Z=None):
    Z = X if Z is None else Z
    return np.asarray(k(X, Z), dtype=np.float64)
