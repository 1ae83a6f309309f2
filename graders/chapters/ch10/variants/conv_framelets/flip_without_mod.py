"""The flip as v reversed, then zero-padded: v̄[n] = v[L − 1 − n] instead of v⁰[(−n) mod N]."""


def flip(v, N):
    v = np.asarray(v, dtype=float)
    return np.concatenate([v[::-1], np.zeros(N - v.shape[0])])
