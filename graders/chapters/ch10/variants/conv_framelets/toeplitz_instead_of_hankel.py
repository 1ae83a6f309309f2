"""The Toeplitz matrix H[i, k] = x[(i − k) mod N] instead of the Hankel x[(i + k) mod N]."""


def hankel(x, r):
    x = np.asarray(x, dtype=float)
    N = x.shape[0]
    return x[(np.arange(N)[:, None] - np.arange(r)[None, :]) % N]
