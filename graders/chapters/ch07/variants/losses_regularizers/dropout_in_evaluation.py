"""dropout drops entries in evaluation too (training is ignored)."""


def dropout(x, p, training, rng):
    x = np.asarray(x, float)
    mask = (rng.random(x.shape) >= p) / (1.0 - p)
    return x * mask, mask
