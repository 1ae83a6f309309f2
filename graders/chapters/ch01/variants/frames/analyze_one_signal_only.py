"""analyze as f @ Phi, right for one signal (n,) but failing for the documented batch F (n, N)."""


def analyze(Phi, f):
    return np.asarray(f, dtype=float) @ np.asarray(Phi, dtype=float)
