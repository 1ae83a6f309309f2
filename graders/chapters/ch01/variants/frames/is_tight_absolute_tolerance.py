"""is_tight compares β − α with tol itself (absolute), where the specification asks for tol·β (relative)."""


def is_tight(Phi, tol=1e-10):
    lam = np.linalg.eigvalsh(np.asarray(Phi, dtype=float) @ np.asarray(Phi, dtype=float).T)
    return bool(lam[0] > 0 and lam[-1] - lam[0] <= tol)
