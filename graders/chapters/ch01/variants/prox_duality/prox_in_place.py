"""prox_l1 soft-thresholds the caller's v in place and returns it."""


def prox_l1(v, lam):
    shrink = np.abs(v) <= lam
    v -= lam * np.sign(v)                                 # written over the caller's array
    v[shrink] = 0.0
    return v
