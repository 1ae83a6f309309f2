"""The flip as the zero-padded filter reversed, v⁰[N − 1 − n]: one sample off from v⁰[(−n) mod N]."""


def flip(v, N):
    v = np.asarray(v, dtype=float)
    return np.concatenate([v, np.zeros(N - v.shape[0])])[::-1]
