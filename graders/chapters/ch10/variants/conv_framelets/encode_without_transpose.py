"""The encoder pools with Φ instead of Φᵀ: C = Φ H_r(f) Ψ."""


def framelet_encode(f, Phi, Psi):
    Psi = np.asarray(Psi, dtype=float)
    return np.asarray(Phi, dtype=float) @ hankel(f, Psi.shape[0]) @ Psi
