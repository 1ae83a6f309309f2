"""dropout reads p as the probability of keeping an entry (scaling the kept ones by 1/p)."""


def dropout(x, p, training, rng):
    x = np.asarray(x, float)
    if not training:
        return x.copy(), np.ones_like(x)
    mask = (rng.random(x.shape) < p) / p
    return x * mask, mask
