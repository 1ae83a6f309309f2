"""synthesize as c @ Phi_d.T, right for one coefficient vector (K,) but not for the documented batch C (K, N)."""


def synthesize(Phi_d, c):
    return np.asarray(c, dtype=float) @ np.asarray(Phi_d, dtype=float).T
