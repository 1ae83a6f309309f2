"""Coefficients computed as Φy instead of Φᵀy (rows and columns of the basis confused)."""


def frame_denoise(y, Phi, lam):
    Phi = np.asarray(Phi, dtype=float)
    return Phi @ soft(Phi @ np.asarray(y, dtype=float), lam)
