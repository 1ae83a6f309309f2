"""A linear convolution cut to length N (np.convolve) instead of the circular one: nothing wraps around."""


def circ_conv(u, v):
    u = np.asarray(u, dtype=float)
    return np.convolve(u, np.asarray(v, dtype=float))[:u.shape[0]]
