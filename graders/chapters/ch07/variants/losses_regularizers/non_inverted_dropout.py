"""dropout zeroes entries with probability p but does not scale the kept ones by 1/(1 − p)."""


def dropout(x, p, training, rng):
    x = np.asarray(x, float)
    if not training:
        return x.copy(), np.ones_like(x)
    mask = (rng.random(x.shape) >= p).astype(float)
    return x * mask, mask
