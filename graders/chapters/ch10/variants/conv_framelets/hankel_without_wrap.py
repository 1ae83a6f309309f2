"""The Hankel windows do not wrap around: entries past the end of x are 0 instead of x[(i + k) mod N]."""


def hankel(x, r):
    x = np.asarray(x, dtype=float)
    N = x.shape[0]
    padded = np.concatenate([x, np.zeros(r)])
    return padded[np.arange(N)[:, None] + np.arange(r)[None, :]]
